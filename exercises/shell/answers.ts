// Answers for notebook 07-shell-quoting (shell.words). Replace `undefined`, then run
//   npx wirelab grade shell.words
//
// With x='a  b' (two spaces) and e='' give, for each line, the words bash passes (command first):
//   1. printf '%s\n' $x "$x" '$x'
//   2. echo -e "a\nb" 'c\nd' e\nf
//   3. cmd $e "$e" '' $e$e x$e
//   4. ssh r1 echo "$x" "'$x'"
// Write each word as a JavaScript string: a backslash is "\\", a real newline would be "\n".
export const words: string[][] | undefined = undefined;
