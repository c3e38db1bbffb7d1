// CSV exports of what is on screen: the account listing (all its pages) and the figures of the board charts, each the
// tools' own values (numbers unformatted, dates ISO). RFC 4180 quoting; a text cell that a spreadsheet would read as a
// formula (=, +, -, @ first) is prefixed with an apostrophe.

export type Cell = string | number | boolean | null | undefined;

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

function cell(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** How a file reaches the user: a host that offers ui/download-file does it; otherwise the browser downloads it. */
export type Downloader = (filename: string, mimeType: string, text: string) => Promise<void>;

let downloader: Downloader = browserDownload;

export function setDownloader(d: Downloader): void {
  downloader = d;
}

export function download(filename: string, text: string): Promise<void> {
  return downloader(filename, "text/csv;charset=utf-8", text);
}

/** For tests: the last file offered, whatever carried it. */
export const lastExport: { filename: string | null; text: string | null } = { filename: null, text: null };

export async function browserDownload(filename: string, mimeType: string, text: string): Promise<void> {
  lastExport.filename = filename;
  lastExport.text = text;
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
