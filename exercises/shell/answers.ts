// Answers for notebook 07-shell-quoting (shell.words, shell.ifs). Replace `undefined`, then run
//   npx wirelab grade shell.words
//
// With x='a  b' (two spaces) and e='' give, for each line, the words bash passes (command first):
//   1. printf '%s\n' $x "$x" '$x'
//   2. echo -e "a\nb" 'c\nd' e\nf
//   3. cmd $e "$e" '' $e$e x$e
//   4. ssh r1 echo "$x" "'$x'"
// Write each word as a JavaScript string: a backslash is "\\", a real newline would be "\n".
// shell.words: Predict bash's words (4 points, all public)
export const words: string[][] | undefined = undefined;

// shell.ifs: for each line, IFS and v are set first, then the command runs. Give the words (command first):
//   1. IFS=':'  v='a::b:'    f $v
//   2. IFS=': ' v=' a : b  ' f $v
//   3. IFS=''   v='a b'      f $v
//   4. IFS=':'  v='x:y'      f "$v" $v
//   5. IFS=':'  v=':a'       f $v
//   6. IFS=':'  v='p:q::'    f $v
//   7. IFS='-'  v='a--b-'    f $v
// shell.ifs: Predict field splitting with a custom IFS (7 points: 6 public + 1 hidden)
export const ifsWords: string[][] | undefined = undefined;
