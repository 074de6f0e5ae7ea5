/** "1 file", "3 files": a count with its noun in the right number (regular English plurals only). */
export const count = (n: number, noun: string): string => `${n} ${n === 1 ? noun : `${noun}s`}`;
