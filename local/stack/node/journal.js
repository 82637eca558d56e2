// An append-only journal of JSON records with group commit.
//
// Records appended while one write is on its way to the disk go together in the next write, each
// write one line (a JSON array of records) followed by fdatasync: many concurrent changes cost one
// disk flush. A crash can tear only the write in flight, which is the last line and has not been
// acknowledged (see `whenDurable`): it is dropped when the journal is opened again, so a write is all
// or nothing. When the file has grown well past the live state it is rewritten from a snapshot
// (temporary file, fsync, rename, fsync of the folder), at a moment when nothing is pending.
"use strict";
const fs = require("fs");
const path = require("path");

const SNAPSHOT_RECORDS_PER_LINE = 1000;

class Journal {
  // `snapshot()` returns the records that rebuild the live state: the journal's compacted form. The
  // file is compacted once it exceeds `compactAfterBytes` and twice its last compacted size.
  constructor(file, snapshot, compactAfterBytes) {
    this.file = file;
    this.snapshot = snapshot;
    this.compactAfterBytes = compactAfterBytes;
    this.fd = null;
    this.pending = [];
    this.appended = 0; // records appended so far
    this.durable = 0; // of which this many are on disk
    this.waiters = [];
    this.flushing = false;
    this.scheduled = false;
    this.size = 0;
    this.compactedSize = 0;
  }

  // Calls `apply` with each record on disk, in order, then compacts the file and opens it for appending.
  open(apply) {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    readRecords(this.file, apply);
    this.compact();
  }

  append(record) {
    this.pending.push(JSON.stringify(record));
    this.appended += 1;
    if (!this.scheduled) {
      // Everything appended in this turn of the event loop goes in one write.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  // Calls `callback` once every record appended so far is on disk.
  whenDurable(callback) {
    if (this.durable >= this.appended) {
      callback();
    } else {
      this.waiters.push([this.appended, callback]);
    }
  }

  flush() {
    if (this.flushing || this.pending.length === 0) return;
    const line = `[${this.pending.join(",")}]\n`;
    const upTo = this.appended;
    this.pending = [];
    this.flushing = true;
    try {
      // Into the page cache, quickly (writeFileSync on a descriptor loops over short writes): this
      // much already survives the process being killed. The disk flush happens off the event loop.
      fs.writeFileSync(this.fd, line);
    } catch (error) {
      fail(this.file, error);
    }
    this.size += Buffer.byteLength(line);
    fs.fdatasync(this.fd, error => {
      if (error) fail(this.file, error);
      this.flushing = false;
      this.durable = upTo;
      const ready = this.waiters.filter(([seq]) => seq <= upTo);
      this.waiters = this.waiters.filter(([seq]) => seq > upTo);
      for (const [, callback] of ready) callback();
      if (this.pending.length === 0 && this.size > this.compactAfterBytes && this.size > 2 * this.compactedSize) {
        this.compact();
      }
      this.flush();
    });
  }

  // Rewrites the file as the snapshot of the live state; only while nothing is pending or in flight,
  // so that the snapshot is exactly what is on disk.
  compact() {
    const records = this.snapshot();
    const temporary = `${this.file}.tmp`;
    const fd = fs.openSync(temporary, "w");
    let bytes = 0;
    for (let i = 0; i < records.length; i += SNAPSHOT_RECORDS_PER_LINE) {
      const line = `${JSON.stringify(records.slice(i, i + SNAPSHOT_RECORDS_PER_LINE))}\n`;
      fs.writeFileSync(fd, line);
      bytes += Buffer.byteLength(line);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(temporary, this.file);
    const folder = fs.openSync(path.dirname(this.file), "r");
    fs.fsyncSync(folder);
    fs.closeSync(folder);
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, "a");
    this.size = bytes;
    this.compactedSize = bytes;
  }
}

function readRecords(file, apply) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return;
    throw error;
  }
  const lines = text.split("\n");
  // The part after the last newline, and a last line that does not parse, is a write torn by a crash.
  const complete = lines.slice(0, -1);
  complete.forEach((line, index) => {
    let records;
    try {
      records = JSON.parse(line);
    } catch (error) {
      if (index === complete.length - 1) return;
      throw new Error(`${file}:${index + 1} is corrupt (${error.message}); move the file away to start empty`);
    }
    records.forEach(apply);
  });
}

function fail(file, error) {
  // A change that cannot be made durable must not be acknowledged: stop serving.
  console.error(`cannot write ${file}: ${error.message}`);
  process.exit(1);
}

module.exports = { Journal };
