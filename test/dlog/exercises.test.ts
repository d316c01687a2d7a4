import { gradesStubsZeroSolutionsFull } from "../helpers/grading";

gradesStubsZeroSolutionsFull("dlog");
