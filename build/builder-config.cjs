'use strict';
/**
 * electron-builder configuration for Deskline, as a function of the environment so the
 * same rules can be checked by tests (test/electron/builder-config.test.ts) without
 * building anything. build/electron-builder.config.cjs applies it to process.env.
 *
 * Environment:
 *   DESKLINE_UPDATE_URL          https URL where IT hosts updates (generic provider); unset → no auto-update metadata
 *   DESKLINE_PUBLISHER_NAME      subject CN of the Windows signing certificate, pinned for update checks (default "Deskline")
 *   CSC_LINK / CSC_KEY_PASSWORD  a .pfx/.p12 (read by electron-builder itself; Windows and macOS)
 *   WIN_CERT_SUBJECT_NAME        sign with a certificate from the Windows store (e.g. an EV token)
 *   WIN_CERT_SHA1                ... or pick it by thumbprint
 *   WIN_TIMESTAMP_URL            RFC 3161 timestamp server (default DigiCert's)
 *   AZURE_SIGN_ENDPOINT, AZURE_CERT_PROFILE_NAME, AZURE_CODE_SIGNING_ACCOUNT_NAME
 *                                Azure Trusted Signing (credentials via AZURE_TENANT_ID/CLIENT_ID/CLIENT_SECRET)
 *   APPLE_API_KEY, APPLE_API_KEY_ID, APPLE_API_ISSUER (or APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID)
 *                                macOS notarization; without them the app is signed but not notarized
 */
const { afterAllArtifactBuild, azureComplete, hasNotarizeCredentials } = require('./signing-notice.cjs');

const APP_ID = 'com.deskline.app';
const PRODUCT_NAME = 'Deskline';
const DEFAULT_PUBLISHER = 'Deskline';

function updateUrl(env) {
  const raw = (env.DESKLINE_UPDATE_URL || '').trim();
  if (!raw) return null;
  const url = new URL(raw); // throws on garbage: better a failed build than an app that cannot update
  if (url.protocol !== 'https:') throw new Error(`DESKLINE_UPDATE_URL must be https (got ${raw}).`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function publisherNames(env) {
  const names = (env.DESKLINE_PUBLISHER_NAME || DEFAULT_PUBLISHER)
    .split(';')
    .map((n) => n.trim())
    .filter(Boolean);
  return names.length > 0 ? names : [DEFAULT_PUBLISHER];
}

/** Azure Trusted Signing when configured, otherwise signtool (a .pfx from CSC_LINK, or the Windows certificate store). */
function windowsSigning(env, publishers) {
  if (azureComplete(env)) {
    return {
      azureSignOptions: {
        endpoint: env.AZURE_SIGN_ENDPOINT,
        certificateProfileName: env.AZURE_CERT_PROFILE_NAME,
        codeSigningAccountName: env.AZURE_CODE_SIGNING_ACCOUNT_NAME,
        publisherName: publishers[0],
      },
    };
  }
  const signtoolOptions = {
    publisherName: publishers,
    signingHashAlgorithms: ['sha256'],
    rfc3161TimeStampServer: env.WIN_TIMESTAMP_URL || 'http://timestamp.digicert.com',
  };
  if (env.WIN_CERT_SUBJECT_NAME) signtoolOptions.certificateSubjectName = env.WIN_CERT_SUBJECT_NAME;
  if (env.WIN_CERT_SHA1) signtoolOptions.certificateSha1 = env.WIN_CERT_SHA1;
  return { signtoolOptions };
}

function makeConfig(env = process.env) {
  const url = updateUrl(env);
  const publishers = publisherNames(env);
  return {
    appId: APP_ID,
    productName: PRODUCT_NAME,
    copyright: `Copyright © ${new Date().getFullYear()} Deskline`,
    // build/ holds this config, hooks and entitlements: as buildResources it is never packed into the app.
    directories: { output: 'release', buildResources: 'build' },
    // Only built output ships: no sources, tests, maps or dev tooling.
    files: [
      'package.json',
      'electron/dist/**/*',
      'voice-engine/dist/**/*',
      'renderer/dist/**/*',
      'resources/icon.png',
      'resources/tray/**/*',
      '!**/*.map',
      '!**/*.d.ts',
      // better-sqlite3's C sources (~20 MB) are only needed to build it, which happens before packing.
      '!**/node_modules/better-sqlite3/{deps,src}/**',
      '!**/node_modules/better-sqlite3/build/{deps,Release/obj,Release/obj.target,Release/.deps}/**',
      '!**/node_modules/better-sqlite3/build/Release/test_extension.node',
    ],
    extraMetadata: {
      main: 'electron/dist/main.js',
      productName: PRODUCT_NAME,
      // Read at runtime by electron/updater.ts: the publisher an update's signature must name.
      desklineUpdate: { publisherName: publishers },
    },
    asar: true,
    // A native module cannot be loaded from inside an archive; Electron redirects to app.asar.unpacked.
    asarUnpack: ['**/node_modules/better-sqlite3/**/*.node'],
    // Rebuild better-sqlite3 against Electron's Node ABI for the packaged app.
    npmRebuild: true,
    electronFuses: {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      // We serve app://deskline, never file://, so file pages need no extra powers.
      grantFileProtocolExtraPrivileges: false,
    },
    // Update metadata (latest.yml) only when IT has said where updates live.
    publish: url ? [{ provider: 'generic', url }] : null,
    afterAllArtifactBuild,

    win: {
      target: [{ target: 'nsis', arch: ['x64'] }],
      icon: 'resources/icon.ico',
      verifyUpdateCodeSignature: true,
      ...windowsSigning(env, publishers),
    },
    nsis: {
      // An assisted installer that asks "for me only" or "for all users of this PC" (per-machine needs admin).
      oneClick: false,
      perMachine: false,
      allowElevation: true,
      allowToChangeInstallationDirectory: true,
      createDesktopShortcut: true,
      createStartMenuShortcut: true,
      shortcutName: PRODUCT_NAME,
      // The clinic's database, recordings index and logs stay if the app is removed.
      deleteAppDataOnUninstall: false,
    },

    mac: {
      target: [{ target: 'dmg', arch: ['arm64', 'x64'] }],
      icon: 'resources/icon.icns',
      category: 'public.app-category.business',
      hardenedRuntime: true,
      gatekeeperAssess: false,
      entitlements: 'build/entitlements.mac.plist',
      entitlementsInherit: 'build/entitlements.mac.plist',
      // Notarize exactly when credentials are present; signing-notice.cjs warns when they are not.
      notarize: hasNotarizeCredentials(env),
    },
    dmg: { sign: false },

    linux: {
      target: ['AppImage', 'deb'],
      icon: 'resources/icon.png',
      category: 'Office',
      synopsis: 'AI phone receptionist for the clinic front desk',
      description: 'Deskline answers the clinic phone with an AI receptionist and keeps every call on record locally.',
      maintainer: 'Deskline <support@deskline.invalid>',
    },
    deb: {
      // The tray needs an indicator library; safeStorage needs a keyring, or it refuses to keep secrets.
      recommends: ['libappindicator3-1', 'gnome-keyring'],
    },
  };
}

module.exports = { makeConfig, APP_ID, PRODUCT_NAME, DEFAULT_PUBLISHER };
