// Reference solution of shell.quote-one and shell.quote-two (notebook 07-shell-quoting).
//
// Inside '…' nothing is special, so the only character to handle is ' itself: close the quote,
// write an escaped \' , and reopen: it's → 'it'\''s'. An empty string needs '' so that the
// word exists. Two shells: quote the quoted text again.

export function quoteWord(s: string): string {
  return "'" + s.split("'").join("'\\''") + "'";
}

export function quoteTwoLevels(s: string): string {
  return quoteWord(quoteWord(s));
}
