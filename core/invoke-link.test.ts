import { describe, expect, it } from 'vitest';
import { invokeLinks } from './invoke-link.js';

describe('invokeLinks', () => {
  it('uses PUBLIC_URL when set, else the web port (0.0.0.0 becomes loopback); the key only in the page fragment', () => {
    const local = invokeLinks({ WEB_HOST: '0.0.0.0', WEB_PORT: 8080 }, 'A01', 'tc_A01_x+y');
    expect(local.detect).toBe('http://127.0.0.1:8080/api/v1/stations/A01/detect');
    expect(local.page).toBe('http://127.0.0.1:8080/invoke/A01#key=tc_A01_x%2By');
    const pub = invokeLinks({ PUBLIC_URL: 'https://tc.example.org/', WEB_HOST: '127.0.0.1', WEB_PORT: 8080 }, 'B-2');
    expect(pub).toEqual({ detect: 'https://tc.example.org/api/v1/stations/B-2/detect', page: 'https://tc.example.org/invoke/B-2' });
  });
});
