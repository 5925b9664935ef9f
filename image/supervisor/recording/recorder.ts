import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import type { QmpClient } from '../../../lib/qmp/qmp-client';
import type { ActiveRecording, FinishedRecording, RecordingSegment } from '../../../contract/control';
import type { RecordingFormat, RecordingSpec } from '../../../contract/recording';
import { encoderArgv } from './encoder';
import { defaultRecordingName, framesDue, ppmSize, segmentFile } from './frames';

export interface RecorderOptions {
  qmp: Pick<QmpClient, 'execute'>;
  /** Where recordings go (/storage/recordings). */
  dir: string;
  /** Where QEMU writes each screenshot (a tmpfs). */
  framePath: string;
  /** Settings a request leaves out (read at each start: a live change of the spec applies). */
  defaults: () => RecordingSpec;
  log: (line: string) => void;
  /** How long ffmpeg may take to finalize the file after its input ends. */
  finalizeTimeoutMs?: number;
}

export interface StartRequest {
  name?: string;
  framesPerSecond?: number;
  format?: RecordingFormat;
}

/** A request the recorder refuses (the answer names why); the VM is not affected. */
export class RecordingError extends Error {}

const PARTIAL = '.partial';

/** One file of a recording: its own encoder, at one screen size. */
interface Segment {
  index: number;
  file: string;
  width: number;
  height: number;
  frames: number;
  /** When its first frame was due (its frames keep real time from there). */
  startedAtMs: number;
  encoder: ChildProcess;
  exit: Promise<number>;
  errors: string;
}

/**
 * One recording: screenshots over QMP, repeated as needed to keep real time, piped into
 * ffmpeg, which finalizes the file when its input ends. The file keeps a ".partial" suffix
 * until ffmpeg has exited cleanly. When the screen changes size, the file so far is finalized
 * (in the background) and the recording goes on in its next segment file at the new size.
 */
class Session {
  readonly startedAt = new Date();
  /** Resolves once the first frame is in the encoder (the recording really runs). */
  readonly firstFrame: Promise<void>;
  readonly finished: Promise<FinishedRecording>;
  private readonly segments: Segment[] = [];
  /** Finalization of the segments left behind by a size change. */
  private readonly closing: Array<Promise<string | undefined>> = [];
  private stopping = false;
  private wake: (() => void) | undefined;
  private resolveFirst!: () => void;

  constructor(
    private readonly options: RecorderOptions,
    readonly name: string,
    readonly file: string,
    readonly format: RecordingFormat,
    readonly framesPerSecond: number,
  ) {
    this.firstFrame = new Promise((resolve) => (this.resolveFirst = resolve));
    this.finished = this.run();
    // firstFrame is raced against `finished`; a session that ends early rejects through it.
    this.finished.catch(() => undefined);
  }

  private get current(): Segment | undefined {
    return this.segments[this.segments.length - 1];
  }

  private get frames(): number {
    return this.segments.reduce((sum, s) => sum + s.frames, 0);
  }

  private segmentList(): RecordingSegment[] {
    return this.segments.map((s) => ({ file: s.file, width: s.width, height: s.height, frames: s.frames }));
  }

  describe(): ActiveRecording {
    const current = this.current;
    return {
      name: this.name,
      file: this.file,
      format: this.format,
      framesPerSecond: this.framesPerSecond,
      startedAt: this.startedAt.toISOString(),
      frames: this.frames,
      ...(current ? { width: current.width, height: current.height } : {}),
      segments: this.segmentList(),
    };
  }

  stop(): Promise<FinishedRecording> {
    this.stopping = true;
    this.wake?.();
    return this.finished;
  }

  private async capture(): Promise<Buffer> {
    await this.options.qmp.execute('screendump', { filename: this.options.framePath }, { timeoutMs: 10_000 });
    return readFile(this.options.framePath);
  }

  /** The next segment's file: `<name>.<format>`, then `<name>.partN.<format>`, never one that exists. */
  private nextFile(): { index: number; file: string } {
    let index = (this.current?.index ?? 0) + 1;
    if (index === 1) return { index, file: this.file };
    const dir = this.options.dir;
    while (
      existsSync(segmentFile(dir, this.name, this.format, index)) ||
      existsSync(segmentFile(dir, this.name, this.format, index) + PARTIAL)
    )
      index++;
    return { index, file: segmentFile(dir, this.name, this.format, index) };
  }

  private startSegment(width: number, height: number): Segment {
    const { index, file } = this.nextFile();
    const argv = encoderArgv({
      format: this.format,
      framesPerSecond: this.framesPerSecond,
      width,
      height,
      output: file + PARTIAL,
    });
    const encoder = spawn('ffmpeg', argv, { stdio: ['pipe', 'ignore', 'pipe'] });
    const segment: Segment = {
      index,
      file,
      width,
      height,
      frames: 0,
      startedAtMs: Date.now(),
      encoder,
      exit: Promise.resolve(0),
      errors: '',
    };
    encoder.stderr!.on('data', (chunk: Buffer) => {
      segment.errors = (segment.errors + chunk.toString('utf8')).slice(-2000);
    });
    // A dead encoder shows in its exit; a write to it then fails with EPIPE, handled there.
    encoder.stdin!.on('error', () => undefined);
    segment.exit = new Promise((resolve) => {
      encoder.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
      encoder.on('error', (error) => {
        segment.errors += error.message;
        resolve(127);
      });
    });
    this.segments.push(segment);
    return segment;
  }

  /** Ends a segment's input and renames its file once ffmpeg finalized it; the error, if not. */
  private async closeSegment(segment: Segment): Promise<string | undefined> {
    segment.encoder.stdin!.end();
    const timeoutMs = this.options.finalizeTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      segment.exit,
      new Promise<number>((resolve) => {
        timer = setTimeout(() => {
          segment.encoder.kill('SIGKILL');
          resolve(-1);
        }, timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    if (code !== 0) {
      const why =
        code === -1
          ? `did not finish within ${timeoutMs / 1000} s`
          : `failed (exit ${code}): ${segment.errors.trim()}`;
      return `the encoder ${why}; the unfinished file is ${segment.file}${PARTIAL}`;
    }
    await rename(segment.file + PARTIAL, segment.file);
    return undefined;
  }

  private async write(segment: Segment, frame: Buffer, times: number): Promise<void> {
    const stdin = segment.encoder.stdin!;
    for (let i = 0; i < times; i++) {
      if (stdin.destroyed || segment.encoder.exitCode !== null) throw new Error('the encoder stopped');
      if (!stdin.write(frame)) await Promise.race([once(stdin, 'drain'), once(stdin, 'close')]);
      segment.frames++;
    }
  }

  private sleepUntil(at: number): Promise<void> {
    const ms = at - Date.now();
    if (ms <= 0 || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<FinishedRecording> {
    const start = Date.now();
    let ended = '';
    while (!this.stopping) {
      let frame: Buffer;
      try {
        frame = await this.capture();
      } catch (error) {
        if (this.frames === 0) {
          this.current?.encoder.kill('SIGKILL');
          throw new RecordingError(`cannot take a screenshot of the VM: ${(error as Error).message}`);
        }
        ended = `the screen could no longer be captured (${(error as Error).message})`;
        break;
      }
      const size = ppmSize(frame);
      let segment = this.current;
      if (segment && (segment.width !== size.width || segment.height !== size.height)) {
        this.closing.push(this.closeSegment(segment));
        this.options.log(
          `recording "${this.name}": the screen is now ${size.width}x${size.height}; going on in a new file`,
        );
        segment = undefined;
      }
      segment ??= this.startSegment(size.width, size.height);
      try {
        await this.write(
          segment,
          frame,
          framesDue(Date.now() - segment.startedAtMs, this.framesPerSecond, segment.frames),
        );
      } catch {
        break;
      }
      this.resolveFirst();
      await this.sleepUntil(segment.startedAtMs + (segment.frames * 1000) / this.framesPerSecond);
    }
    return this.finalize(ended, Date.now() - start);
  }

  private async finalize(ended: string, elapsedMs: number): Promise<FinishedRecording> {
    const last = this.current;
    if (!last) throw new RecordingError('the recording stopped before its first frame');
    const failures = (await Promise.all([...this.closing, this.closeSegment(last)])).filter(
      (failure): failure is string => failure !== undefined,
    );
    if (failures.length > 0) throw new RecordingError(failures.join('; '));
    const files = this.segments.map((s) => s.file).join(', ');
    this.options.log(
      `recording "${this.name}" saved: ${files} (${this.frames} frames${ended ? `; ${ended}` : ''})`,
    );
    return {
      file: this.file,
      frames: this.frames,
      seconds: Math.round(elapsedMs / 100) / 10,
      width: last.width,
      height: last.height,
      segments: this.segmentList(),
    };
  }
}

/** Screen recordings of the VM, one at a time, started and stopped on request. */
export class Recorder {
  private session: Session | undefined;

  constructor(private readonly options: RecorderOptions) {}

  status(): ActiveRecording | null {
    return this.session?.describe() ?? null;
  }

  async start(request: StartRequest = {}): Promise<ActiveRecording> {
    if (this.session) throw new RecordingError(`already recording "${this.session.name}": stop it first`);
    const defaults = this.options.defaults();
    const format = request.format ?? defaults.format;
    const framesPerSecond = request.framesPerSecond ?? defaults.framesPerSecond;
    await mkdir(this.options.dir, { recursive: true });
    const name = request.name ?? this.freeDefaultName(format);
    const file = `${this.options.dir}/${name}.${format}`;
    if (existsSync(file) || existsSync(file + PARTIAL))
      throw new RecordingError(`a recording named "${name}" already exists (${file}): choose another name`);
    const session = new Session(this.options, name, file, format, framesPerSecond);
    this.session = session;
    void session.finished
      .catch((error: Error) => this.options.log(`recording "${name}" failed: ${error.message}`))
      .finally(() => {
        if (this.session === session) this.session = undefined;
      });
    try {
      await Promise.race([session.firstFrame, session.finished]);
    } catch (error) {
      await rm(file + PARTIAL, { force: true });
      throw error;
    }
    this.options.log(`recording "${name}" started: ${file} at ${framesPerSecond} fps`);
    return session.describe();
  }

  async stop(): Promise<FinishedRecording> {
    const session = this.session;
    if (!session) throw new RecordingError('no recording is running');
    return session.stop();
  }

  /** Stops and finalizes a running recording (VM shutdown); never throws. */
  async stopAll(): Promise<void> {
    await this.session?.stop().catch(() => undefined);
  }

  private freeDefaultName(format: RecordingFormat): string {
    const base = defaultRecordingName(new Date());
    let name = base;
    for (let n = 2; existsSync(`${this.options.dir}/${name}.${format}`); n++) name = `${base}-${n}`;
    return name;
  }
}
