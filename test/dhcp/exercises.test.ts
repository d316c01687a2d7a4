import { gradesStubsZeroSolutionsFull } from "../helpers/grading";
gradesStubsZeroSolutionsFull("dhcp");
