// Reference answers for notebook 07-shell-quoting (shell.words, shell.ifs).
// 1. $x is split on spaces ("a", "b"), "$x" keeps both spaces, '$x' is literal.
// 2. Quotes keep \n as two characters (echo -e interprets them later); unquoted \n is just n.
// 3. Empty unquoted expansions vanish ($e, $e$e); "$e" and '' stay as empty words; x$e is "x".
// 4. The local shell removes the quotes: ssh gets  echo, "a  b", "'a  b'"  (and joins them later!).
export const words: string[][] | undefined = [
  ["printf", "%s\\n", "a", "b", "a  b", "$x"],
  ["echo", "-e", "a\\nb", "c\\nd", "enf"],
  ["cmd", "", "", "x"],
  ["ssh", "r1", "echo", "a  b", "'a  b'"],
];

// shell.ifs: ':' is not white space, so each one ends a field: '::' encloses an empty field, a final ':' only
// closes the last one, a leading ':' opens with an empty one. White space in IFS (': ') merges with the ':'
// next to it and is trimmed at both ends. IFS='' disables splitting. "$v" is never split.
export const ifsWords: string[][] = [["f", "a", "", "b"], ["f", "a", "b"], ["f", "a b"], ["f", "x:y", "x", "y"], ["f", "", "a"], ["f", "p", "q", ""], ["f", "a", "", "b"]];
