/* Stack views of cperf report: --folded (comm;root;...;leaf count) and
 * --flamegraph (a self-contained interactive SVG with its own script). */
#include "config.h"

#include "report-view.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- folded ---------------------------------------------------------------- */

struct fline {
	char *s;
	uint64_t n;
};

static int by_str(const void *a, const void *b)
{
	return strcmp(((const struct fline *)a)->s, ((const struct fline *)b)->s);
}

/* Appends a frame name; ';' separates frames and a newline ends the line,
 * so neither may appear inside one. */
static int put_name(struct strbuf *sb, const char *name)
{
	for (const char *p = name; *p; p++) {
		char c = *p == ';' ? ':' : (*p == '\n' || *p == '\r') ? ' ' : *p;

		if (sb_append(sb, &c, 1))
			return -ENOMEM;
	}
	return 0;
}

int report_folded(const struct rview *v, FILE *out)
{
	struct fline *l = calloc(v->nr_stacks ? v->nr_stacks : 1, sizeof(*l));
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;
	int err = 0;

	if (!l)
		return -ENOMEM;
	for (size_t i = 0; i < v->nr_stacks && !err; i++) {
		const struct rv_stack *st = &v->stacks[i];

		if (!st->kept)
			continue;
		sb_reset(&sb);
		err = put_name(&sb, st->s->comm && st->s->comm[0] ? st->s->comm : "[unknown]");
		for (uint32_t j = st->nr; j-- > 0 && !err;) {
			err = sb_puts(&sb, ";");
			if (!err)
				err = put_name(&sb, v->fns[st->f[j].fn].name);
		}
		if (err)
			break;
		l[n].s = strdup(sb.buf);
		if (!l[n].s) {
			err = -ENOMEM;
			break;
		}
		l[n++].n = st->count;
	}
	if (!err) {
		qsort(l, n, sizeof(*l), by_str);
		for (size_t i = 0; i < n;) {
			uint64_t sum = 0;
			size_t j = i;

			while (j < n && !strcmp(l[j].s, l[i].s))
				sum += l[j++].n;
			fprintf(out, "%s %llu\n", l[i].s, (unsigned long long)sum);
			i = j;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(l[i].s);
	free(l);
	sb_fini(&sb);
	return err;
}

/* ---- flame graph ------------------------------------------------------------- */

struct fnode {
	const char *name;
	uint32_t parent;
	uint32_t first_child, next_sibling; /* 0: none (node 0 is the root) */
	uint32_t depth;
	uint64_t w;
	bool kernel;
	double x; /* left edge as a share of the total, set by layout */
};

struct ftree {
	struct fnode *n;
	size_t nr, cap;
	uint64_t *slot_key; /* hash (parent, name) -> node; key = node + 1 */
	uint32_t *slot;
	size_t slots;
	uint32_t max_depth;
};

static uint64_t child_hash(uint32_t parent, const char *name)
{
	return hash_u64((uint64_t)parent * 0x9e3779b97f4a7c15ULL ^ (uintptr_t)name);
}

static int ftree_rehash(struct ftree *t)
{
	size_t ns = t->slots ? t->slots * 2 : 4096;
	uint32_t *s = calloc(ns, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t i = 1; i < t->nr; i++) {
		size_t j = child_hash(t->n[i].parent, t->n[i].name) & (ns - 1);

		while (s[j])
			j = (j + 1) & (ns - 1);
		s[j] = (uint32_t)i;
	}
	free(t->slot);
	t->slot = s;
	t->slots = ns;
	return 0;
}

/* The child of parent named name (interned pointers), created if needed;
 * 0 when out of memory. */
static uint32_t ftree_child(struct ftree *t, uint32_t parent, const char *name, bool kernel)
{
	size_t j;
	struct fnode *c;

	if ((t->nr + 1) * 2 > t->slots && ftree_rehash(t))
		return 0;
	j = child_hash(parent, name) & (t->slots - 1);
	while (t->slot[j]) {
		c = &t->n[t->slot[j]];
		if (c->parent == parent && c->name == name)
			return t->slot[j];
		j = (j + 1) & (t->slots - 1);
	}
	if (t->nr >= UINT32_MAX - 1 || grow_array(&t->n, &t->cap, t->nr + 1, sizeof(*t->n)))
		return 0;
	c = &t->n[t->nr];
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->parent = parent;
	c->kernel = kernel;
	c->depth = t->n[parent].depth + 1;
	if (c->depth > t->max_depth)
		t->max_depth = c->depth;
	c->next_sibling = t->n[parent].first_child;
	t->n[parent].first_child = (uint32_t)t->nr;
	t->slot[j] = (uint32_t)t->nr;
	return (uint32_t)t->nr++;
}

static void xml_put(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			/* control and non-ASCII bytes could make the XML invalid */
			fputc(*p < 0x20 || *p >= 0x7f ? '?' : *p, out);
		}
	}
}

static void put_label(FILE *out, const char *name, double px)
{
	long n = (long)((px - 6) / 7);
	size_t len = strlen(name);
	char buf[256];

	if (n < 3)
		return;
	if ((size_t)n >= len) {
		xml_put(out, name);
		return;
	}
	if (n - 2 >= (long)sizeof(buf))
		n = (long)sizeof(buf) - 1;
	memcpy(buf, name, (size_t)(n - 2));
	strcpy(buf + n - 2, "..");
	xml_put(out, buf);
}

/* A warm colour from the name, so a function keeps its colour everywhere;
 * kernel frames get a cooler one. */
static void frame_color(const char *name, bool kernel, char *buf, size_t len)
{
	uint64_t h = hash_bytes(name, strlen(name), 7);
	unsigned r, g, b;

	if (kernel) {
		r = 200 + (unsigned)(h % 55);
		g = 120 + (unsigned)((h >> 8) % 60);
		b = 40 + (unsigned)((h >> 16) % 40);
	} else {
		r = 205 + (unsigned)(h % 50);
		g = (unsigned)((h >> 8) % 230);
		b = (unsigned)((h >> 16) % 55);
	}
	snprintf(buf, len, "rgb(%u,%u,%u)", r, g, b);
}

/* The script: zoom on click, reset, search with a regex, details on hover.
 * Frames carry their unzoomed geometry in data attributes. */
static const char flame_js[] =
	"var W, FH, svg, details, matchedtxt, zoomed = null;\n"
	"function init(evt) {\n"
	"  svg = document.documentElement; W = +svg.getAttribute('data-w');\n"
	"  FH = +svg.getAttribute('data-fh');\n"
	"  details = document.getElementById('details');\n"
	"  matchedtxt = document.getElementById('matched');\n"
	"  var gs = document.getElementsByClassName('f');\n"
	"  for (var i = 0; i < gs.length; i++) {\n"
	"    gs[i].addEventListener('click', function () { zoom(this); });\n"
	"    gs[i].addEventListener('mouseover', function () {\n"
	"      details.textContent = this.getAttribute('data-info'); });\n"
	"    gs[i].addEventListener('mouseout', function () { details.textContent = ' '; });\n"
	"    fit(gs[i]);\n"
	"  }\n"
	"  document.getElementById('reset').addEventListener('click', function () { zoom(null); });\n"
	"  document.getElementById('search').addEventListener('click', search);\n"
	"}\n"
	"function fit(g) {\n"
	"  var r = g.getElementsByTagName('rect')[0], t = g.getElementsByTagName('text')[0];\n"
	"  var w = +r.getAttribute('width'), name = g.getAttribute('data-name');\n"
	"  t.setAttribute('x', +r.getAttribute('x') + 3);\n"
	"  var n = Math.floor((w - 6) / 7);\n"
	"  t.textContent = n < 3 ? '' : (name.length <= n ? name : name.substring(0, n - 2) + '..');\n"
	"}\n"
	"function zoom(z) {\n"
	"  zoomed = z;\n"
	"  var zx = 0, zw = 1, zd = 0;\n"
	"  if (z) { zx = +z.getAttribute('data-x'); zw = +z.getAttribute('data-w'); zd = +z.getAttribute('data-d'); }\n"
	"  var gs = document.getElementsByClassName('f');\n"
	"  for (var i = 0; i < gs.length; i++) {\n"
	"    var g = gs[i], x = +g.getAttribute('data-x'), w = +g.getAttribute('data-w');\n"
	"    var d = +g.getAttribute('data-d'), r = g.getElementsByTagName('rect')[0];\n"
	"    var inside = x >= zx - 1e-12 && x + w <= zx + zw + 1e-12;\n"
	"    var below = d < zd && x <= zx + 1e-12 && x + w >= zx + zw - 1e-12;\n"
	"    if (d >= zd && inside) {\n"
	"      g.style.display = ''; g.style.opacity = 1;\n"
	"      r.setAttribute('x', 10 + (x - zx) / zw * (W - 20));\n"
	"      r.setAttribute('width', Math.max(w / zw * (W - 20), 0));\n"
	"    } else if (below) {\n"
	"      g.style.display = ''; g.style.opacity = 0.5;\n"
	"      r.setAttribute('x', 10); r.setAttribute('width', W - 20);\n"
	"    } else { g.style.display = 'none'; }\n"
	"    fit(g);\n"
	"  }\n"
	"  document.getElementById('reset').style.opacity = z ? 1 : 0;\n"
	"}\n"
	"function search() {\n"
	"  var term = prompt('Search for (regular expression):', '');\n"
	"  var gs = document.getElementsByClassName('f'), re = null, spans = [];\n"
	"  if (term) { try { re = new RegExp(term); } catch (e) { alert('bad regular expression'); return; } }\n"
	"  for (var i = 0; i < gs.length; i++) {\n"
	"    var g = gs[i], r = g.getElementsByTagName('rect')[0];\n"
	"    if (re && re.test(g.getAttribute('data-name'))) {\n"
	"      r.setAttribute('fill', 'rgb(230,0,230)');\n"
	"      spans.push([+g.getAttribute('data-x'), +g.getAttribute('data-w')]);\n"
	"    } else { r.setAttribute('fill', g.getAttribute('data-fill')); }\n"
	"  }\n"
	"  /* a matched frame inside another matched frame is not counted twice */\n"
	"  spans.sort(function (a, b) { return a[0] - b[0]; });\n"
	"  var total = 0, end = -1;\n"
	"  for (var k = 0; k < spans.length; k++) {\n"
	"    var s = spans[k][0], e = s + spans[k][1];\n"
	"    if (s >= end) { total += e - s; end = e; } else if (e > end) { total += e - end; end = e; }\n"
	"  }\n"
	"  matchedtxt.textContent = re ? 'Matched: ' + (100 * total).toFixed(2) + '%' : ' ';\n"
	"}\n";

int report_flamegraph(const struct rview *v, FILE *out, const char *title)
{
	struct ftree t = { 0 };
	const double width = 1200, fh = 16, pad_top = 50, pad_bottom = 40;
	double height;
	uint32_t *stack = NULL;
	size_t scap = 0;
	int err = 0;
	char val[32], color[32];

	if (grow_array(&t.n, &t.cap, 1, sizeof(*t.n)))
		return -ENOMEM;
	memset(&t.n[0], 0, sizeof(t.n[0]));
	t.n[0].name = "all";
	t.nr = 1;
	for (size_t i = 0; i < v->nr_stacks; i++) {
		const struct rv_stack *st = &v->stacks[i];
		uint32_t cur;

		if (!st->kept)
			continue;
		t.n[0].w += st->w;
		cur = ftree_child(&t, 0, st->s->comm && st->s->comm[0] ? st->s->comm : "[unknown]",
				  false);
		if (!cur) {
			err = -ENOMEM;
			goto out;
		}
		t.n[cur].w += st->w;
		for (uint32_t j = st->nr; j-- > 0;) {
			const struct rv_fn *fn = &v->fns[st->f[j].fn];

			cur = ftree_child(&t, cur, fn->name, fn->kernel);
			if (!cur) {
				err = -ENOMEM;
				goto out;
			}
			t.n[cur].w += st->w;
		}
	}
	/* layout: children left to right by name, from the root down (parents
	 * come before their children in node order) */
	if (grow_array(&stack, &scap, t.nr, sizeof(*stack))) {
		err = -ENOMEM;
		goto out;
	}
	/* as tall as the frames that will be drawn (0.1 pixel or wider) */
	t.max_depth = 0;
	for (size_t i = 0; i < t.nr && t.n[0].w; i++)
		if ((double)t.n[i].w / (double)t.n[0].w * (width - 20) >= 0.1 &&
		    t.n[i].depth > t.max_depth)
			t.max_depth = t.n[i].depth;
	height = pad_top + pad_bottom + fh * (t.max_depth + 1);
	fprintf(out, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		     "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
		     "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" onload=\"init(evt)\" data-w=\"%.0f\" "
		     "data-fh=\"%.0f\">\n",
		width, height, width, height, width, fh);
	fprintf(out, "<style>text { font-family: monospace; font-size: 12px; fill: rgb(0,0,0); }\n"
		     "g.f:hover rect { stroke: black; stroke-width: 0.5; cursor: pointer; }\n"
		     "#reset, #search { cursor: pointer; }</style>\n");
	fprintf(out, "<script type=\"text/ecmascript\"><![CDATA[\n%s]]></script>\n", flame_js);
	fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"rgb(250,250,238)\"/>\n",
		width, height);
	fprintf(out, "<text x=\"%.0f\" y=\"24\" text-anchor=\"middle\" style=\"font-size: 17px\">",
		width / 2);
	xml_put(out, title ? title : "Flame Graph");
	fputs("</text>\n", out);
	fprintf(out, "<text id=\"reset\" x=\"10\" y=\"24\" style=\"opacity: 0\">Reset Zoom</text>\n"
		     "<text id=\"search\" x=\"%.0f\" y=\"24\" text-anchor=\"end\">Search</text>\n"
		     "<text id=\"matched\" x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\"> </text>\n"
		     "<text id=\"details\" x=\"10\" y=\"%.0f\"> </text>\n",
		width - 10, width - 10, height - 12, height - 12);
	if (!t.n[0].w)
		goto end;
	{
		size_t sp = 0;

		stack[sp++] = 0;
		t.n[0].x = 0;
		while (sp) {
			uint32_t id = stack[--sp];
			struct fnode *nd = &t.n[id];
			double share = (double)nd->w / (double)t.n[0].w;
			double x = nd->x;
			uint32_t kids[64], nk = 0;

			/* thinner than 0.1 pixel: invisible even when zoomed a lot,
			 * and it would only bloat the file */
			if (share * (width - 20) < 0.1)
				continue;
			rview_format(v, nd->w, val, sizeof(val));
			frame_color(nd->name, nd->kernel, color, sizeof(color));
			if (id == 0)
				snprintf(color, sizeof(color), "rgb(200,200,200)");
			fprintf(out, "<g class=\"f\" data-x=\"%.9f\" data-w=\"%.9f\" data-d=\"%u\" "
				     "data-fill=\"%s\" data-name=\"",
				x, share, nd->depth, color);
			xml_put(out, nd->name);
			fputs("\" data-info=\"", out);
			xml_put(out, nd->name);
			fprintf(out, " (%s, %.2f%%)\"><title>", val, 100 * share);
			xml_put(out, nd->name);
			fprintf(out, " (%s, %.2f%%)</title><rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
				     "height=\"%.1f\" fill=\"%s\" rx=\"2\"/><text x=\"%.2f\" y=\"%.1f\">",
				val, 100 * share, 10 + x * (width - 20),
				height - pad_bottom - fh * (nd->depth + 1), share * (width - 20), fh - 1,
				color, 13 + x * (width - 20), height - pad_bottom - fh * nd->depth - 4);
			/* the label as it fits (7 px a character), for viewers
			 * without scripts; the script refits it when zooming */
			put_label(out, nd->name, share * (width - 20));
			fputs("</text></g>\n", out);
			/* children sorted by name, as flame graphs order them */
			for (uint32_t c = nd->first_child; c; c = t.n[c].next_sibling) {
				if (nk < ARRAY_SIZE(kids)) {
					uint32_t k = nk++;

					while (k > 0 && strcmp(t.n[kids[k - 1]].name, t.n[c].name) > 0) {
						kids[k] = kids[k - 1];
						k--;
					}
					kids[k] = c;
				} else {
					/* more than 64: the rest keep insertion order */
					t.n[c].x = -1;
				}
			}
			{
				double cx = x;

				for (uint32_t k = 0; k < nk; k++) {
					t.n[kids[k]].x = cx;
					cx += (double)t.n[kids[k]].w / (double)t.n[0].w;
					stack[sp++] = kids[k];
				}
				for (uint32_t c = nd->first_child; c; c = t.n[c].next_sibling) {
					if (t.n[c].x >= 0 || nk < ARRAY_SIZE(kids))
						continue;
					t.n[c].x = cx;
					cx += (double)t.n[c].w / (double)t.n[0].w;
					stack[sp++] = c;
				}
			}
		}
	}
end:
	fputs("</svg>\n", out);
out:
	free(stack);
	free(t.n);
	free(t.slot);
	return err;
}
