'use strict';
/**
 * Says plainly, at the end of `npm run dist`, when an installer is not signed (or a Mac
 * build is not notarized). An unsigned Windows installer trips SmartScreen and can never
 * auto-update (the updater refuses anything not signed by the pinned publisher); an
 * unsigned or unnotarized Mac app is blocked by Gatekeeper. Nobody should ship one by
 * accident, so the warning is loud. Signing itself is configured in builder-config.cjs.
 */

function azureComplete(env) {
  return Boolean(env.AZURE_SIGN_ENDPOINT && env.AZURE_CERT_PROFILE_NAME && env.AZURE_CODE_SIGNING_ACCOUNT_NAME);
}

function hasNotarizeCredentials(env) {
  return Boolean(
    (env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER) ||
      (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID) ||
      (env.APPLE_KEYCHAIN && env.APPLE_KEYCHAIN_PROFILE),
  );
}

/** platform: 'win32' | 'darwin' | 'linux'. Returns the problems for that platform's artifacts (empty when signed). */
function signingProblems(platform, env) {
  if (platform === 'win32') {
    const signed = Boolean(env.CSC_LINK || env.WIN_CSC_LINK || env.WIN_CERT_SUBJECT_NAME || env.WIN_CERT_SHA1 || azureComplete(env));
    return signed
      ? []
      : [
          'The Windows installer is NOT code-signed.',
          'Windows SmartScreen will warn staff before it runs, and installed copies will refuse every auto-update.',
          'Sign with one of: CSC_LINK + CSC_KEY_PASSWORD (a .pfx), WIN_CERT_SUBJECT_NAME or WIN_CERT_SHA1 (a certificate in the',
          'Windows store), or AZURE_SIGN_ENDPOINT + AZURE_CERT_PROFILE_NAME + AZURE_CODE_SIGNING_ACCOUNT_NAME (Azure Trusted Signing).',
        ];
  }
  if (platform === 'darwin') {
    const problems = [];
    if (!(env.CSC_LINK || env.CSC_NAME || env.MAC_CSC_LINK)) {
      problems.push(
        'No macOS signing identity was given (CSC_LINK/CSC_KEY_PASSWORD or CSC_NAME); unless electron-builder found a',
        '"Developer ID Application" identity in the keychain, the app is NOT signed and Gatekeeper will block it.',
      );
    }
    if (!hasNotarizeCredentials(env)) {
      problems.push(
        'The macOS app is NOT notarized: set APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER',
        '(or APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID).',
      );
    }
    return problems;
  }
  if (platform === 'linux') {
    return ['The AppImage and .deb are not signed (as usual on Linux): publish their SHA-512 checksums (latest-linux.yml) over https.'];
  }
  return [];
}

function banner(lines) {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const rule = '!'.repeat(width);
  return [rule, ...lines.map((l) => `! ${l.padEnd(width - 4)} !`), rule].join('\n');
}

/** electron-builder afterAllArtifactBuild hook. Adds no artifacts. */
async function afterAllArtifactBuild(buildResult) {
  const env = process.env;
  for (const platform of buildResult.platformToTargets.keys()) {
    const problems = signingProblems(platform.nodeName, env);
    if (problems.length > 0) console.warn(`\n${banner([`UNSIGNED BUILD WARNING (${platform.nodeName})`, ...problems])}\n`);
  }
  return [];
}

module.exports = { afterAllArtifactBuild, signingProblems, hasNotarizeCredentials, azureComplete };
