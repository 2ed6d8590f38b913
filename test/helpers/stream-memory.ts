/**
 * Child process for the streaming-memory test: decodes one event file with streamEventFile and
 * prints the event count and the process's peak resident memory as JSON.
 */
import { streamEventFile } from '../../src-main/formats/node/read-events';

let events = 0;
const info = streamEventFile(process.argv[2]!, (e) => {
  events += e.x.length;
});
console.log(JSON.stringify({ events, bytes: info.bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
