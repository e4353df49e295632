// The SDK prints program and pack errors through util.inspect with colours forced on; reports and
// stderr messages carry plain text.
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
    return text.replace(ANSI_ESCAPE, "");
}
