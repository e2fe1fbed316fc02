import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listLabelledPhotos } from '../src/model/labelled-photos.js';
import { ScoreModel } from '../src/model/score-model.js';
import { cli, ensureDemoModel, here, lastJson, sharedFaces } from './helpers.js';

const haveFaces = existsSync(sharedFaces);
if (!haveFaces) console.warn(`real-data training tests skipped: ${sharedFaces} not found (needs ../shared/data/faces)`);

function run(args: string[]) {
  return spawnSync(process.execPath, [join(here, 'dist', 'main.js'), ...args], { cwd: here, encoding: 'utf8', timeout: 60_000 });
}

describe('labelled folders', () => {
  it('reads DIR/<level>/ and DIR/<group>/<level>/, skips _ and . folders, and refuses what is not a dataset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-data-'));
    expect(() => listLabelledPhotos(join(dir, 'missing'))).toThrow(/--data: .*missing is not a folder/);
    expect(() => listLabelledPhotos(dir)).toThrow(/has no class folders/);
    mkdirSync(join(dir, 'a'));
    expect(() => listLabelledPhotos(dir)).toThrow(/has no .jpg, .jpeg, .png or .webp photos/);
    writeFileSync(join(dir, 'a', 'x.JPG'), 'x');
    writeFileSync(join(dir, 'a', 'notes.txt'), 'x');
    mkdirSync(join(dir, '_multi'));
    writeFileSync(join(dir, '_multi', 'group.jpg'), 'x');
    expect(listLabelledPhotos(dir)).toEqual({ nested: false, photos: [{ unit: join('a', 'x.JPG'), level: 'a', image: join(dir, 'a', 'x.JPG') }] });
    mkdirSync(join(dir, 'g', 'l1'), { recursive: true });
    expect(() => listLabelledPhotos(dir)).toThrow(/mixes <group>\/<level>\/ folders with <level>\/ folders/);
  });
});

describe('model files', () => {
  it('round-trips, refuses tampered or hostile JSON by name, and saves without leaving temporary files', async () => {
    const model = await ScoreModel.load(ensureDemoModel());
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    expect(ScoreModel.fromJSON(json).toJSON()).toEqual(model.toJSON());
    expect(() => ScoreModel.fromJSON({ ...json, format: 'other' })).toThrow(/format must be 'aiffel-face-score-model'/);
    expect(() => ScoreModel.fromJSON({ ...json, version: 2 })).toThrow(/version must be 1/);
    expect(() => ScoreModel.fromJSON({ ...json, gateKind: 'coin' })).toThrow(/gateKind must be/);
    expect(() => ScoreModel.fromJSON({ ...json, backbone: 'pixels' })).toThrow(/backbone must be 'descriptor' or 'appearance'/);
    expect(() => ScoreModel.fromJSON({ ...json, heads: {} })).toThrow(/no head for group "\*"/);
    expect(() => ScoreModel.fromJSON({ ...json, gateKind: 'trained' })).toThrow(/a 'trained' gate needs a classifier/);
    const hostile = JSON.parse(`{"__proto__": {"polluted": 1}, "x": 1}`);
    expect(() => ScoreModel.fromJSON({ ...json, heads: hostile })).toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const head = json.heads['*'];
    expect(() => ScoreModel.fromJSON({ ...json, heads: { '*': { ...head, std: head.std.map(() => 'x') } } })).toThrow(/classifier JSON std/);
    const dir = mkdtempSync(join(tmpdir(), 'fs-model-'));
    await Promise.all([model.save(dir), model.save(dir), model.save(dir)]);
    expect(readdirSync(dir)).toEqual(['model.json']);
    expect((await ScoreModel.load(dir)).toJSON()).toEqual(model.toJSON());
    writeFileSync(join(dir, 'model.json'), '{"format": ');
    await expect(ScoreModel.load(dir)).rejects.toThrow(/model.json is not valid JSON/);
    await expect(ScoreModel.load(join(dir, 'nope'))).rejects.toThrow(/--model: .*model.json not found \(train one with/);
  });
});

describe('command line', () => {
  it('exits 2 naming the flag for unknown flags, bad values and unknown commands', () => {
    for (const [args, message] of [
      [['serve', '--bogus'], /Unknown option '--bogus'/],
      [['serve', '--port', 'abc'], /--port must be an integer in \[0, 65535\], got "abc"/],
      [['serve', '--cors', '*'], /--cors must be one origin/],
      [['train', '--backbone', 'pixels'], /--backbone must be auto, descriptor or appearance/],
      [['train', '--copies=-1'], /--copies must be an integer in \[0, 50\]/],
      [['dance'], /unknown command "dance"/],
    ] as const) {
      const r = run([...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('usage:');
    }
    const missing = run(['train', '--data', join(tmpdir(), 'no-such-folder')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/--data: .*no-such-folder is not a folder/);
  });

  it('--smoke serves the demo model and scores the default photo through the HTTP API', () => {
    ensureDemoModel();
    const m = lastJson(cli(['--smoke']));
    expect(m).toMatchObject({ status: 'one', faces: 1, group: expect.stringMatching(/^(female|male)$/), demo_model: true });
    expect(m.score_label).toMatch(/^[1-5] · /);
    expect(m.latency_ms).toBeGreaterThan(0);
  });

  it.skipIf(!haveFaces)('trains on ../shared/data/faces/face_recognition (identity as the level), reports held-out metrics, and serves the model', () => {
    const out = mkdtempSync(join(tmpdir(), 'fs-real-'));
    const m = lastJson(cli(['train', '--data', sharedFaces, '--out', out, '--copies', '4']));
    expect(m.train_photos + m.test_photos).toBeGreaterThanOrEqual(17);
    expect(m.test_photos).toBeGreaterThanOrEqual(6);
    // Identity is what the 128-d descriptor is made for: near-perfect on held-out photos.
    expect(m.descriptor_accuracy).toBeGreaterThanOrEqual(0.8);
    expect(m.accuracy).toBe(Math.max(m.descriptor_accuracy, m.appearance_accuracy));
    expect(m.roc_auc_ovr).toBeGreaterThan(0.8);
    expect(readFileSync(join(out, 'confusion.png')).subarray(1, 4).toString()).toBe('PNG');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.reports.descriptor.perClass.map((c: { label: string }) => c.label)).toEqual([
      'alex_lacamoire',
      'biden',
      'kit_harington',
      'lin_manuel_miranda',
      'obama',
      'rose_leslie',
    ]);
    const s = lastJson(cli(['--smoke', '--model', out]));
    expect(s).toMatchObject({ status: 'one', faces: 1, demo_model: false });
  });

  it.skipIf(!haveFaces)('trains a gate and a head per group on DIR/<group>/<level>/ (politicians / entertainers over the same photos)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-groups-'));
    const groups: Record<string, string[]> = {
      politicians: ['biden', 'obama'],
      entertainers: ['alex_lacamoire', 'kit_harington', 'lin_manuel_miranda', 'rose_leslie'],
    };
    for (const [g, people] of Object.entries(groups)) {
      mkdirSync(join(dir, g));
      for (const p of people) symlinkSync(join(sharedFaces, p), join(dir, g, p));
    }
    const out = join(dir, 'model');
    const stdout = cli(['train', '--data', dir, '--out', out, '--copies', '2', '--backbone', 'descriptor']);
    expect(stdout).toMatch(/gate accuracy \d\.\d{3}/);
    const m = lastJson(stdout);
    expect(m.backbone).toBe('descriptor');
    expect(m.accuracy).toBeGreaterThanOrEqual(0.6);
    const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(model.gateKind).toBe('trained');
    expect(Object.keys(model.heads).sort()).toEqual(['entertainers', 'politicians']);
    expect(model.report.reports.descriptor.gateAccuracy).toBeGreaterThanOrEqual(0.6);
    void execFileSync;
  });
});
