import { describe, expect, it } from 'vitest';
import { looseCounts, looseFileKind, looseLayoutPath, safeLooseName } from './loose.js';

describe('loose /import documents', () => {
  it('knows a dataset file by its name, and nothing else', () => {
    expect(['a.JPG', 'b.png', 'c.webp', 'labels.txt', 'classes.txt', 'data.yaml', 'd.yml', 'instances_train.json', 'x.xml'].map(looseFileKind)).toEqual([
      'image', 'image', 'image', 'label', 'classes', 'yaml', 'yaml', 'json', 'xml',
    ]);
    for (const other of ['notes.pdf', 'model.onnx', 'archive.rar', 'README', 'photo.heic']) expect(looseFileKind(other)).toBeUndefined();
  });

  it('keeps only a safe last path part of the name', () => {
    expect(safeLooseName('../../etc/passwd.txt')).toBe('passwd.txt');
    expect(safeLooseName('C:\\\\data\\\\img 1.jpg')).toBe('img 1.jpg');
    expect(safeLooseName('..hidden.yaml')).toBe('hidden.yaml');
    expect(safeLooseName('a\u0000b?.json')).toBe('a_b_.json');
    expect(safeLooseName('')).toBe('file');
    const long = safeLooseName(`${'x'.repeat(300)}.jpg`);
    expect(long).toHaveLength(120);
    expect(long.endsWith('.jpg')).toBe(true);
  });

  it('lays files out where the readers look, and counts them by kind', () => {
    expect(looseLayoutPath('image', 'a.jpg')).toBe('images/a.jpg');
    expect(looseLayoutPath('label', 'a.txt')).toBe('labels/a.txt');
    expect(looseLayoutPath('xml', 'a.xml')).toBe('Annotations/a.xml');
    expect(looseLayoutPath('yaml', 'data.yaml')).toBe('data.yaml');
    expect(looseCounts(['a.jpg', 'b.jpg', 'a.txt', 'data.yaml', 'zzz.pdf'])).toEqual({ image: 2, label: 1, classes: 0, yaml: 1, json: 0, xml: 0 });
  });
});
