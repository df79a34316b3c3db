import { parseDocument } from 'yaml';

/** Where a YAML text stops parsing: `path:line:col` and yaml's first line, without its code excerpt. */
export interface YamlSyntaxProblem {
  /** The file, with `:line:col` when yaml knows the position. */
  where: string;
  message: string;
}

/** Parses YAML text read from `path` into plain JS, or says where and why it is not YAML. */
export function parseYamlText(path: string, text: string): { value: unknown } | { problem: YamlSyntaxProblem } {
  const doc = parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (!error) return { value: doc.toJS() as unknown };
  const pos = error.linePos?.[0];
  // yaml's message ends with its position and a code excerpt on the following lines: keep the first line only.
  const firstLine = error.message.split('\n')[0] ?? error.message;
  return {
    problem: {
      where: pos ? `${path}:${pos.line}:${pos.col}` : path,
      message: firstLine.replace(/ at line \d+, column \d+:?$/, ''),
    },
  };
}
