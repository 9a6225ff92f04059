// The first step of `pnpm run deploy`: checks the .clasp.json in the working directory before
// anything is built or pushed. Left alone, clasp would try a placeholder script id, or push from
// the wrong folder, and answer with errors that do not say what to change.
import { readFile } from 'node:fs/promises';

/** The scriptId of .clasp.json.example, to be replaced by the script's own. */
const PLACEHOLDER = 'PASTE_YOUR_SCRIPT_ID_HERE';
/** The folder apps-script/build.mjs writes and clasp pushes. */
const ROOT_DIR = 'dist/apps-script';

const SETUP = `Set it up once, in packages/sheets (README: "Deploy with clasp"):
  a new sheet:       clasp create --type sheets --title "Kabar Broadcast" --rootDir ${ROOT_DIR}
  an existing sheet: clasp clone <scriptId> --rootDir ${ROOT_DIR}
  or copy .clasp.json.example to .clasp.json and set scriptId to the Script ID shown in the
  Apps Script editor under Project Settings.`;

/** What is wrong with the .clasp.json text, or undefined when clasp can push with it. */
function problemWith(text) {
  if (text === undefined) return 'no .clasp.json here.';
  let config;
  try {
    config = JSON.parse(text);
  } catch (error) {
    return `.clasp.json is not valid JSON: ${error.message}`;
  }
  const { scriptId, rootDir } = config ?? {};
  if (typeof scriptId !== 'string' || scriptId === PLACEHOLDER || scriptId.trim() === '') {
    return '.clasp.json has no scriptId of your own yet.';
  }
  if (!/^[\w-]+$/.test(scriptId)) {
    return `.clasp.json: scriptId '${scriptId}' is not an Apps Script id (letters, digits, - and _).`;
  }
  if (rootDir !== ROOT_DIR) {
    return `.clasp.json: rootDir is ${JSON.stringify(rootDir)}; it must be "${ROOT_DIR}", the folder the build writes.`;
  }
  return undefined;
}

const text = await readFile('.clasp.json', 'utf8').catch((error) => {
  if (error.code === 'ENOENT') return undefined;
  throw error;
});
const problem = problemWith(text);
if (problem) {
  process.stderr.write(`deploy: ${problem}\n\n${SETUP}\n`);
  process.exit(1);
}
