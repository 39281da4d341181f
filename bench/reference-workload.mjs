// A fixed piece of work, the same whatever the tool's code: objects made, written as JSON, read back and rendered as
// lines, as a report run does, on one thread. The offline series runs it beside each 10k run, so a reader sees how fast
// the machine was at that moment: on a shared VM the same build's 10k run moves by a quarter from one window to the next.
const rows = [];
for (let i = 0; i < 60_000; i++) rows.push({ id: `bucket-${i}`, status: i % 3 ? 'pass' : 'fail', evidence: { arn: `arn:aws:s3:::bucket-${i}`, size: i * 7 } });
let text = '';
for (const row of JSON.parse(JSON.stringify(rows))) text += `${row.id}: ${row.status} ${row.evidence.arn}\n`;
if (!text.endsWith('bucket-59999\n')) process.exitCode = 1;
