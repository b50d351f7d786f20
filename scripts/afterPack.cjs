// electron-builder's afterPack hook: flips Electron's fuses in the packed binary, before signing, so the
// shipped app cannot be turned into a plain Node (run-as-node, NODE_OPTIONS, --inspect) and loads only its
// own integrity-checked app.asar (Electron's security checklist: "check which fuses you can change").
const path = require('node:path');

/** The fuses, by their @electron/fuses name: the decision, kept apart from the flipping for the tests. */
const FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  // Pages come from our app:// protocol: file:// needs none of its historical extra privileges.
  GrantFileProtocolExtraPrivileges: false,
};

/** The Electron executable inside the packed app folder electron-builder hands the hook. */
function electronBinaryIn(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`, 'Contents', 'MacOS', name);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName);
  }
}

async function afterPack(context) {
  // @electron/fuses is ESM-only; this hook is loaded with require().
  const { flipFuses, FuseVersion, FuseV1Options } = await import('@electron/fuses');
  const config = { version: FuseVersion.V1 };
  for (const [name, value] of Object.entries(FUSES)) config[FuseV1Options[name]] = value;
  // Flipping changes the binary: on macOS its ad-hoc signature must be redone (arm64 refuses to run it).
  config.resetAdHocDarwinSignature = context.electronPlatformName === 'darwin';
  await flipFuses(electronBinaryIn(context), config);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.electronBinaryIn = electronBinaryIn;
