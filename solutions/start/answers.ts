// Reference answers for notebook 00-start-here.
export const addresses: number | bigint | string | undefined = "2^(32-22)";
