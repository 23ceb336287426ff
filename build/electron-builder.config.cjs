'use strict';
// `electron-builder --config build/electron-builder.config.cjs`. The rules are in builder-config.cjs.
module.exports = require('./builder-config.cjs').makeConfig(process.env);
