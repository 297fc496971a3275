// @swc/jest does not read .swcrc on its own when options are given; share the one file.
const fs = require('fs');
const path = require('path');
const config = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete config.$schema;
module.exports = { ...config, swcrc: false };
