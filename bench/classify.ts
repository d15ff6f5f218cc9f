// Which files of a list the core would analyse in full (run with tsx by bench/run.mjs): YAML that
// is not a template, and code that imports a client module (the pre-check of rules/ts/parse.ts).
import { readFileSync } from 'node:fs';
import { analyseYaml } from '../rules/lint.ts';
import { isCodePath, mentionsClientModule } from '../rules/ts/parse.ts';

const files = JSON.parse(readFileSync(0, 'utf8')) as string[];
const relevant = files.filter((path) => {
  const text = readFileSync(path, 'utf8');
  return isCodePath(path) ? mentionsClientModule(text) : !analyseYaml({ path, text }).templated;
});
process.stdout.write(JSON.stringify(relevant));
