export const executablePath: string;
export const chromeArgs: string[];
