/**
 * `wirelab/grading`: exercise specs, test builders, the notebook `check()`, and the grader.
 */
export * from "./spec";
export * from "./checks";
export { evaluateInteger } from "./expr";
export { check, grade } from "./check";
export { loadExercise } from "./load";
export { gradeExercise, gradeMany, gradeInline, answerRef, answerFile, notebookAnswers } from "./grader";
export type { ExerciseReport, TestReport, GradeRun, GradeOptions, AnswerTree } from "./grader";
export { selectExercises, findExercise, allExercises } from "./registry";
export { exerciseText, exerciseHtml, runText, runJunit, runJson } from "./report";
