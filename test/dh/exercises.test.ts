/** dh exercises: stubs score 0 ("not attempted"), reference solutions full marks, public and hidden. */
import { gradesStubsZeroSolutionsFull } from "../helpers/grading";

gradesStubsZeroSolutionsFull("dh");
