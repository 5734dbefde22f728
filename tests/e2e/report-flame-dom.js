// Drives the flame graph script of cperf report in node with a small
// stand-in for the SVG DOM: init, zoom on click, search, details, reset.
// Usage: node report-flame-dom.js FILE.svg FRAME REGEX
const fs = require('fs');
const svgText = fs.readFileSync(process.argv[2], 'utf8');
function el(attrs) {
  return { attrs, style: {}, textContent: '', listeners: {}, children: {},
    getAttribute(k) { return this.attrs[k]; }, setAttribute(k, v) { this.attrs[k] = String(v); },
    addEventListener(t, f) { this.listeners[t] = f; },
    getElementsByTagName(t) { return this.children[t] || []; } };
}
function attrs(s) { const a = {}; s.replace(/([\w-]+)="([^"]*)"/g, (m, k, v) => { a[k] = v; }); return a; }
const root = el(attrs(svgText.match(/<svg ([^>]*)>/)[1]));
const gs = [];
const re = /<g class="f" ([^>]*)><title>[^<]*<\/title><rect ([^>]*)\/><text ([^>]*)>([^<]*)<\/text><\/g>/g;
let m;
while ((m = re.exec(svgText))) { const g = el(attrs(m[1])); g.children.rect = [el(attrs(m[2]))]; g.children.text = [el(attrs(m[3]))]; gs.push(g); }
const ids = { details: el({}), matched: el({}), reset: el({}), search: el({}) };
global.document = { documentElement: root, getElementById: id => ids[id], getElementsByClassName: () => gs };
global.prompt = () => process.argv[4]; global.alert = x => console.log('alert', x);
const js = svgText.slice(svgText.indexOf('<![CDATA[') + 9, svgText.indexOf(']]>'));
eval(js + '\nglobal.init=init; global.zoom=zoom; global.search=search;');
init();
console.log('frames', gs.length, 'label0', JSON.stringify(gs.map(g => g.children.text[0].textContent).slice(0, 6)));
const a = gs.find(g => g.attrs['data-name'] === process.argv[3]);
a.listeners.click.call(a);
const r = a.children.rect[0];
console.log('zoomed x', r.attrs.x, 'w', r.attrs.width, 'hidden', gs.filter(g => g.style.display === 'none').length, 'reset opacity', ids.reset.style.opacity);
ids.search.listeners.click();
console.log(ids.matched.textContent);
a.listeners.mouseover.call(a); console.log('details:', ids.details.textContent);
ids.reset.listeners.click(); console.log('after reset hidden', gs.filter(g => g.style.display === 'none').length, 'w', r.attrs.width);
