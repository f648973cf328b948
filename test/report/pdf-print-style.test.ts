import { expect } from 'chai';
import { withPrintStyle } from '../../src/report/pdf.js';

describe('the print-only style of the printed document', () => {
  it('goes at the end of the real <head>, even when the head\'s script holds the text "</head>"', () => {
    const html = '<!DOCTYPE html><html><head><title>t</title><script>const s = "</head>";</script></head><body><main>x</main></body></html>';
    const out = withPrintStyle(html);
    const style = out.indexOf('<style>@media screen');
    expect(style).to.be.greaterThan(out.indexOf('</script>'));
    expect(out.slice(style).replace(/<style>.*?<\/style>/, '')).to.match(/^<\/head><body>/);
    expect(out.replace(/<style>@media screen.*?<\/style>/, '')).to.equal(html);
  });

  it('leads a document that has no <head> or <body> tag', () => {
    expect(withPrintStyle('<main>x</main>')).to.match(/^<style>@media screen.*<\/style><main>x<\/main>$/);
  });
});
