// Exercise shell.quote-one: Quote any string for one shell (notebook 07-shell-quoting; 6 points: 4 public + 2 hidden)
//
// Implement `quoteWord(s)` in `exercises/shell/quote.ts`: return a bash word that bash reads back
// as exactly `s` (one argument) for every string: empty, spaces, `'`, `"`, `$`, backslashes,
// newlines, control characters, non-ASCII. Readability is a bonus, correctness is the grade.
//
// Own work: this answer is also a library function. Calling, wrapping or re-exporting the
// library's src/shell/quote.ts, src/shell/bashq.ts (or any npm package) here earns no credit.
// Write the quoting rule yourself.
//
// Grade with: npx wirelab grade shell.quote-one
//
// Exercise shell.quote-two: Quote a string for two shells (ssh host 'bash -c …') (notebook 07-shell-quoting; 6 points: 4 public + 2 hidden)
//
// Implement `quoteTwoLevels(s)` in `exercises/shell/quote.ts`: a word that, read by one shell and
// the result read again by a second shell, gives exactly `s`. It is a whole word of your command
// line, e.g. after `ssh host echo ` (ssh joins its words, the remote shell parses them again) or
// after `docker exec c bash -c 'echo '`. Never paste it inside `"…"`: inside double quotes your
// shell keeps single quotes and most backslashes, so the second shell gets a level of quoting too
// many. Hint: quoting twice works if quoting once is right.
//
// Own work: this answer is also a library function. Calling, wrapping or re-exporting the
// library's src/shell/quote.ts, src/shell/bashq.ts (or any npm package) here earns no credit.
// Write the quoting yourself (your own quoteWord, applied twice, is fine).
//
// Grade with: npx wirelab grade shell.quote-two
import { todo } from "../../src/grading/spec";

export function quoteWord(s: string): string {
  return todo("quoteWord");
}

export function quoteTwoLevels(s: string): string {
  return todo("quoteTwoLevels");
}
