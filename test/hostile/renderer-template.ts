// A hostile template folder for `--templates DIR`: report.hbs without the Content-Security-Policy, trying
// every way out of Chromium it can think of against one loopback listener (by IP literal in several spellings,
// by localhost and by name), and a PDF header that tries too. The report's own content still renders between
// them, so a sealed renderer prints a PDF whose text can be read back. Shared by the renderer test and its
// measurement script.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The ways a template could reach the network, each tagged (the tag is the URL path) to see which got through. */
export function hostileHead(port: number): string {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `127.1:${port}`, `[::ffff:127.0.0.1]:${port}`, `2130706433:${port}`, `trailproof-test.localhost:${port}`];
  const lines: string[] = [];
  for (const [i, host] of hosts.entries()) {
    const u = (tag: string): string => `http://${host}/${tag}-${i}`;
    lines.push(
      `<link rel="prefetch" href="${u('prefetch')}">`,
      `<link rel="preconnect" href="http://${host}">`,
      `<link rel="dns-prefetch" href="http://${host}">`,
      `<link rel="preload" as="image" href="${u('preload')}">`,
      `<link rel="stylesheet" href="${u('stylesheet')}">`,
      `<link rel="icon" href="${u('icon')}">`,
      `<style>@import url("${u('import')}"); @font-face { font-family: Leak${i}; src: url("${u('font')}"); } .leak-${i} { font-family: Leak${i}; background: url("${u('css-bg')}"); }</style>`,
    );
  }
  const first = `127.0.0.1:${port}`;
  const script = [
    `try { new WebSocket('ws://${first}/websocket'); } catch (e) {}`,
    `try { fetch('http://${first}/fetch'); } catch (e) {}`,
    `try { var x = new XMLHttpRequest(); x.open('GET', 'http://${first}/xhr'); x.send(); } catch (e) {}`,
    `try { navigator.sendBeacon('http://${first}/beacon', 'x'); } catch (e) {}`,
    `try { new EventSource('http://${first}/eventsource'); } catch (e) {}`,
    `try { new Image().src = 'http://${first}/script-image'; } catch (e) {}`,
    `try { window.open('http://${first}/popup'); } catch (e) {}`,
    `setTimeout(function () { location.href = 'http://${first}/navigate'; }, 50);`,
  ].join('\n');
  lines.push(
    `<meta http-equiv="refresh" content="0; url=http://${first}/meta-refresh">`,
    `<base href="http://${first}/base/">`,
    `<script>${script}</script>`,
    `<script src="http://${first}/script-src"></script>`,
  );
  return lines.join('\n');
}

export function hostileBody(port: number): string {
  const first = `127.0.0.1:${port}`;
  return [
    `<img src="http://${first}/img" alt="">`,
    `<img src="relative-through-base" alt="">`,
    `<img srcset="http://${first}/srcset 2x" alt="">`,
    `<picture><source srcset="http://${first}/picture"><img alt=""></picture>`,
    `<iframe src="http://${first}/iframe"></iframe>`,
    `<iframe srcdoc="<img src='http://${first}/srcdoc'>"></iframe>`,
    `<object data="http://${first}/object"></object>`,
    `<embed src="http://${first}/embed">`,
    `<video src="http://${first}/video" autoplay></video>`,
    `<audio src="http://${first}/audio" autoplay></audio>`,
    `<video poster="http://${first}/poster"></video>`,
    `<svg width="1" height="1"><image href="http://${first}/svg-image" width="1" height="1"/></svg>`,
    `<a ping="http://${first}/ping" href="#">ping</a>`,
    `<form action="http://${first}/form" method="post"><input name="x" value="1" autofocus></form>`,
    `<div class="leak-0 leak-1 leak-2 leak-3 leak-4 leak-5" style="background-image: url('http://${first}/inline-style')">leak</div>`,
  ].join('\n');
}

/** Writes the hostile template folder: report.hbs (keeps the report's content) and pdf-header.hbs. */
export function writeHostileTemplates(port: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-hostile-templates-'));
  mkdirSync(join(dir, 'partials'), { recursive: true });
  writeFileSync(join(dir, 'report.hbs'), `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{title}}</title>
${hostileHead(port)}
<style>
{{{css}}}
</style>
</head>
<body>
${hostileBody(port)}
{{> cover}}
<main>
{{> summary}}
{{> results}}
</main>
</body>
</html>
`);
  writeFileSync(join(dir, 'pdf-header.hbs'), `<div style="font-size:8px; background-image: url('http://127.0.0.1:${port}/header-bg')"><img src="http://127.0.0.1:${port}/header-img" alt="">{{organization}}</div>`);
  return dir;
}
