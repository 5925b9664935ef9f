import { hmpErrorText } from './hmp';

test('hmpErrorText recognises HMP error output', () => {
  expect(hmpErrorText("Error: Device 'x' not found\r\n")).toBe("Error: Device 'x' not found");
  expect(hmpErrorText("unknown command: 'bogus'\r\n")).toBe("unknown command: 'bogus'");
  expect(hmpErrorText('VM status: running\r\n')).toBeUndefined();
  expect(hmpErrorText('')).toBeUndefined();
});
