/**
 * Lines a daemon sends about a file it knows only by number. A damaged volume loses a
 * file's attributes record, and with it the file's name: the SD and FD can say only
 * "FileIndex 90 of JobId 5". The Director knows the name from its catalog (the File
 * row of that job and index) and puts it in front of the line, as the FD does for the
 * files it names itself ("path: message"), so the job log tells what was lost.
 */
import type { burrow } from '@burrow/common/proto/index';
import { displayPath } from '@burrow/common/names/index';

/** A job's file by its FileIndex (the catalog's File rows); undefined when unknown. */
export type FileNamer = (jobId: number, fileIndex: number) => Promise<Buffer | undefined>;

/** The text of a daemon's job message for the log, its file named where it gives one by number. */
export async function relayedText(body: Pick<burrow.JobMessage, 'text' | 'sessionId' | 'fileIndex'>, nameFile?: FileNamer): Promise<string> {
  const { text, sessionId, fileIndex } = body;
  if (!fileIndex) return text;
  let path: Buffer | undefined;
  try {
    path = sessionId ? await nameFile?.(sessionId, fileIndex) : undefined;
  } catch {
    path = undefined; // the catalog failed: the numbers still say which file
  }
  return path !== undefined ? `${displayPath(path)}: ${text}` : `JobId ${sessionId} FileIndex ${fileIndex}: ${text}`;
}
