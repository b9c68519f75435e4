// The troubleshooting filter's matching rules, in isolation (no browser): the script the theme
// ships is loaded as it is and its normalisation checked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const script = fileURLToPath(new URL("../../themes/default/static/assets/tebiki-filter.js", import.meta.url));

function loadFilter() {
  const context = vm.createContext({});
  vm.runInContext(readFileSync(script, "utf8"), context);
  return context.tebikiFilter;
}

test("half-width katakana, hiragana and katakana all find メンテナンス中", () => {
  const { matches } = loadFilter();
  const symptom = "「◯メンテナンス中」と表示される";
  assert.ok(matches("ﾒﾝﾃﾅﾝｽ", symptom));
  assert.ok(matches("めんてなんす", symptom));
  assert.ok(matches("メンテナンス", symptom));
  assert.ok(!matches("めんてなんすちゅう", symptom), "中 is a kanji: hiragana ちゅう does not match it");
});

test("full-width and half-width Latin letters and digits are equal, case and spaces ignored", () => {
  const { matches, normalize } = loadFilter();
  assert.ok(matches("ａｍａｚｏｎ", "Amazon.co.jpのログイン"));
  assert.ok(matches("５分", "5分以内に承認"));
  assert.ok(matches("amazon .CO", "Amazon.co.jp"));
  assert.equal(normalize("ＯＫ ボタン"), "okボタン");
});

test("an empty query matches everything, a wrong one nothing", () => {
  const { matches } = loadFilter();
  assert.ok(matches("", "どれでも"));
  assert.ok(!matches("xyz", "「データ更新が完了していません。」"));
});

test("dashes of every kind are ignored: e401, Eー401, E−401 and E‐401 find ｴﾗｰｺｰﾄﾞ E-401", () => {
  const { matches, normalize } = loadFilter();
  const symptom = "「ｴﾗｰｺｰﾄﾞ E-401」と表示される";
  for (const query of ["e401", "Eー401", "E−401", "E‐401", "E‑401", "E–401", "E—401", "ｅ－４０１", "E-401"]) {
    assert.ok(matches(query, symptom), query);
  }
  assert.equal(normalize("エラーコード"), normalize("エラコド"), "the long-vowel mark is ignored in words too");
  assert.ok(matches("エラーコード", symptom), "half-width ｴﾗｰｺｰﾄﾞ still matches");
  assert.ok(!matches("e402", symptom));
});
