import { gradesStubsZeroSolutionsFull } from "../helpers/grading";

gradesStubsZeroSolutionsFull("start");
