/**
 * Passwords that appear at the top of every leaked-password list (the Chinese lists included)
 * and would pass the letters-and-digits rule. Compared case-insensitively.
 */
const COMMON = [
  "a123456", "a1234567", "a12345678", "a123456789", "aa123456", "aa12345678", "abc123", "abc1234", "abc123456",
  "abc123456789", "abcd1234", "abcd123456", "asd123456", "asdf1234", "asdfgh123", "qwe123", "qwe123456",
  "qwer1234", "qwerty123", "qwerty1", "qwerty12", "1qaz2wsx", "1q2w3e4r", "1q2w3e4r5t", "q1w2e3r4", "zxc123456",
  "zxcvbn123", "password1", "password12", "password123", "passw0rd", "p@ssw0rd", "pass1234", "admin123",
  "admin1234", "admin888", "root1234", "test1234", "test123456", "welcome1", "iloveyou1", "woaini1314",
  "woaini520", "woaini123", "5201314a", "a5201314", "qq123456", "qq5201314", "wang1234", "zhang123",
  "li123456", "liu123456", "chen123456", "huang123", "aini1314", "love1314", "1314520a", "123456a",
  "1234567a", "12345678a", "123456789a", "123qwe", "123qweasd", "123abc", "1234abcd", "abc12345678",
  "a11111111", "a111111", "a888888", "a666666", "w123456", "z123456", "q123456", "s123456", "x123456",
  "123456aa", "123456abc", "123456qq", "111111a", "666666a", "888888a", "zaq12wsx", "linli2026a",
];

const SET = new Set(COMMON.map((p) => p.toLowerCase()));

export function isCommonPassword(password: string): boolean {
  return SET.has(password.toLowerCase());
}
