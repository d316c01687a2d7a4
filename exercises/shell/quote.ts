// Exercises shell.quote-one and shell.quote-two (notebook 07-shell-quoting).
//
// quoteWord(s): a bash word that bash reads back as exactly s, one argument, for EVERY string
//   (empty, spaces, ' " $ \ ` newlines, control characters, non-ASCII, leading dashes).
// quoteTwoLevels(s): text that survives two shells in a row (ssh host …, docker exec c bash -c …).
//
// Check with: npx wirelab grade shell.quote-one   (or check("shell.quote-one") in the notebook)
// Own work: calling, wrapping or re-exporting src/shell/quote.ts or src/shell/bashq.ts (or shell-quote and other npm packages) here earns no credit (the grader checks).
import { todo } from "../../src/grading/spec";

export function quoteWord(s: string): string {
  return todo("quoteWord");
}

export function quoteTwoLevels(s: string): string {
  return todo("quoteTwoLevels");
}
