/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-export"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "mw-assessor.h"
#include "mw-delivery-item.h"
#include "mw-error.h"
#include "mw-export-private.h"
#include "mw-json.h"
#include "mw-signer.h"
#include "mw-taxonomy.h"
#include "mw-term.h"
#include "mw-vocabulary.h"

/* The PDF a person files by hand when a recipient has no endpoint: what to do first
 * (verdict, deadlines, whom to call and mail), then the report itself. A4, cairo's PDF
 * surface, text laid out by Pango; every text from the report goes in as plain text, never
 * as markup. */

#define PAGE_WIDTH    595.276  /* A4 in points */
#define PAGE_HEIGHT   841.890
#define MARGIN        42.0
#define HEADER_SPACE  22.0
#define FOOTER_SPACE  26.0
#define CONTENT_WIDTH (PAGE_WIDTH - 2 * MARGIN)
#define LABEL_WIDTH   112.0
#define GRID_GAP      16.0
#define CELL_WIDTH    ((CONTENT_WIDTH - GRID_GAP) / 2)
#define CELL_LABEL    LABEL_WIDTH
#define FACT_LABEL    150.0
#define MAX_PAGES     50  /* bound: a report of 1 MiB could fill hundreds */

typedef struct {
  cairo_surface_t *surface;
  cairo_t         *cr;
  PangoContext    *context;
  double           y;
  int              page;
  int              total;     /* pages of the first pass (0 during it) */
  gboolean         training;
  gboolean         full;      /* MAX_PAGES reached */
  guint            suppressed; /* tags begun after that, not written */
  double           badge;     /* width of the status column, 0 until measured */
  char            *footer;
} Pdf;

typedef enum {
  FONT_BODY,
  FONT_BOLD,
  FONT_SMALL,
  FONT_MONO,
  FONT_HEADING,
  FONT_TITLE,
  FONT_VERDICT,
} Font;

static const char * const fonts[] = {
  [FONT_BODY]    = "Sans 8.5",
  [FONT_BOLD]    = "Sans Bold 8.5",
  [FONT_SMALL]   = "Sans 7.5",
  [FONT_MONO]    = "Monospace 8",
  [FONT_HEADING] = "Sans Bold 11.5",
  [FONT_TITLE]   = "Sans Bold 17",
  [FONT_VERDICT] = "Sans Bold 12.5",
};

typedef struct {
  double r, g, b;
} Colour;

static const Colour black = { 0.10, 0.10, 0.12 };
static const Colour grey = { 0.38, 0.38, 0.42 };
static const Colour rule = { 0.75, 0.75, 0.78 };
static const Colour red = { 0.75, 0.11, 0.16 };
static const Colour green = { 0.15, 0.52, 0.25 };
static const Colour amber = { 0.72, 0.45, 0.02 };
static const Colour white = { 1, 1, 1 };

static cairo_status_t
write_to_array (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
set_colour (Pdf          *pdf,
            const Colour *colour)
{
  cairo_set_source_rgb (pdf->cr, colour->r, colour->g, colour->b);
}

/* The language the PDF is written in, for Pango's line breaking. */
static PangoLanguage *
pdf_language (void)
{
  /* Translators: the language code of this translation (nl for Dutch): the PDF's language */
  return pango_language_from_string (C_("language code", "en"));
}

/* Whole words move to the next line; only a word (an id, a hash, a URL) longer than the line
 * is broken, between two characters, never with a hyphen that is not in it. */
static PangoLayout *
new_layout (Pdf        *pdf,
            const char *text,
            Font        font,
            double      width)
{
  PangoLayout *layout = pango_layout_new (pdf->context);
  PangoFontDescription *description = pango_font_description_from_string (fonts[font]);
  PangoAttrList *attributes = pango_attr_list_new ();
  PangoRectangle logical;

  pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
  pango_attr_list_insert (attributes, pango_attr_language_new (pdf_language ()));
  /* No line ends right after a hyphen between two letters or digits: an id ("nl-cbw", a
   * UUID) or a URL broken there reads as one without its hyphen, which is how text tools
   * (and readers) join such lines. The word moves to the next line whole instead. */
  for (gsize i = 1; text[0] != '\0' && text[i] != '\0' && text[i + 1] != '\0'; i++)
    if (text[i] == '-' && g_ascii_isalnum (text[i - 1]) && g_ascii_isalnum (text[i + 1]))
      {
        PangoAttribute *keep = pango_attr_allow_breaks_new (FALSE);

        keep->start_index = i;
        keep->end_index = i + 2;
        pango_attr_list_insert (attributes, keep);
      }
  pango_layout_set_attributes (layout, attributes);
  pango_attr_list_unref (attributes);
  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, font == FONT_MONO ? PANGO_WRAP_CHAR : PANGO_WRAP_WORD);
  /* Plain text: whatever the report holds is never read as markup. */
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_extents (layout, NULL, &logical);
  if (font != FONT_MONO && logical.x + logical.width > (int) (width * PANGO_SCALE))
    pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  return layout;
}

/* Tagged PDF (cairo's structure tags): what a screen reader reads as headings and
 * paragraphs. */
static void
tag_begin_with (Pdf        *pdf,
                const char *tag,
                const char *attributes)
{
  /* Past the page bound nothing is shown, and no structure is added for it (cairo refuses
   * it): tags begun there are only counted, and end before any begun earlier. */
  if (pdf->full)
    pdf->suppressed++;
  else
    cairo_tag_begin (pdf->cr, tag, attributes);
}

static void
tag_begin (Pdf        *pdf,
           const char *tag)
{
  tag_begin_with (pdf, tag, NULL);
}

static void
tag_end (Pdf        *pdf,
         const char *tag)
{
  if (pdf->suppressed > 0)
    pdf->suppressed--;
  else
    cairo_tag_end (pdf->cr, tag);
}

static double
layout_height (PangoLayout *layout)
{
  int width, height;

  pango_layout_get_size (layout, &width, &height);
  return (double) height / PANGO_SCALE;
}

static void
draw_layout (Pdf          *pdf,
             PangoLayout  *layout,
             double        x,
             double        y,
             const Colour *colour)
{
  set_colour (pdf, colour);
  cairo_move_to (pdf->cr, x, y);
  pango_cairo_show_layout (pdf->cr, layout);
}

static void
begin_page (Pdf *pdf)
{
  g_autofree char *page = NULL;
  g_autoptr(PangoLayout) footer = NULL;
  g_autoptr(PangoLayout) number = NULL;

  pdf->page++;
  pdf->y = MARGIN;

  if (pdf->training)
    {
      g_autoptr(PangoLayout) banner = new_layout (pdf, _("TRAINING — practice report, not for a real authority"),
                                                  FONT_BOLD, CONTENT_WIDTH - 12);
      double height = layout_height (banner) + 8;

      set_colour (pdf, &red);
      cairo_rectangle (pdf->cr, MARGIN, MARGIN - HEADER_SPACE, CONTENT_WIDTH, height);
      cairo_fill (pdf->cr);
      pango_layout_set_alignment (banner, PANGO_ALIGN_CENTER);
      draw_layout (pdf, banner, MARGIN + 6, MARGIN - HEADER_SPACE + 4, &white);
      pdf->y = MARGIN - HEADER_SPACE + height + 10;
    }

  footer = new_layout (pdf, pdf->footer, FONT_SMALL, CONTENT_WIDTH - 60);
  draw_layout (pdf, footer, MARGIN, PAGE_HEIGHT - MARGIN + 8, &grey);
  /* Translators: the page number in the footer, "Page 2 of 5" */
  page = pdf->total > 0 ? g_strdup_printf (_("Page %d of %d"), pdf->page, pdf->total)
                        : g_strdup_printf (_("Page %d of %d"), pdf->page, 99);
  number = new_layout (pdf, page, FONT_SMALL, 80);
  pango_layout_set_alignment (number, PANGO_ALIGN_RIGHT);
  draw_layout (pdf, number, PAGE_WIDTH - MARGIN - 80, PAGE_HEIGHT - MARGIN + 8, &grey);
  set_colour (pdf, &rule);
  cairo_set_line_width (pdf->cr, 0.5);
  cairo_move_to (pdf->cr, MARGIN, PAGE_HEIGHT - MARGIN + 4);
  cairo_line_to (pdf->cr, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN + 4);
  cairo_stroke (pdf->cr);
}

static void
new_page (Pdf *pdf)
{
  if (pdf->page >= MAX_PAGES)
    {
      /* The last page says so; everything after it is laid out but clipped away. */
      if (!pdf->full)
        {
          g_autofree char *text = g_strdup_printf (_("Cut off after %d pages: the complete report is in the .json or .jws file."),
                                                   MAX_PAGES);
          g_autoptr(PangoLayout) note = new_layout (pdf, text, FONT_BOLD, CONTENT_WIDTH);

          draw_layout (pdf, note, MARGIN, PAGE_HEIGHT - MARGIN + 19, &red);
          cairo_new_path (pdf->cr);
          cairo_rectangle (pdf->cr, 0, 0, 0, 0);
          cairo_clip (pdf->cr);
          pdf->full = TRUE;
        }
      pdf->y = MARGIN;
      return;
    }
  cairo_show_page (pdf->cr);
  begin_page (pdf);
}

static double
space_left (Pdf *pdf)
{
  return PAGE_HEIGHT - MARGIN - pdf->y;
}

static void
ensure_space (Pdf    *pdf,
              double  height)
{
  if (height > space_left (pdf))
    new_page (pdf);
}

/* A layout line by line, breaking pages between lines. */
static void
draw_flowing (Pdf          *pdf,
              PangoLayout  *layout,
              double        x,
              const Colour *colour)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  set_colour (pdf, colour);
  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;
      int baseline = pango_layout_iter_get_baseline (iter);
      double top, height;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      top = (double) logical.y / PANGO_SCALE;
      height = (double) logical.height / PANGO_SCALE;
      if (height > space_left (pdf))
        {
          new_page (pdf);
          set_colour (pdf, colour);
        }
      cairo_move_to (pdf->cr, x, pdf->y + ((double) baseline / PANGO_SCALE - top));
      pango_cairo_show_layout_line (pdf->cr, line);
      pdf->y += height;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static void
paragraph (Pdf          *pdf,
           const char   *text,
           Font          font,
           double        indent,
           const Colour *colour,
           double        space_after)
{
  g_autoptr(PangoLayout) layout = new_layout (pdf, text, font, CONTENT_WIDTH - indent);
  const char *tag = font == FONT_TITLE ? "H1" : "P";

  tag_begin (pdf, tag);
  draw_flowing (pdf, layout, MARGIN + indent, colour);
  tag_end (pdf, tag);
  pdf->y += space_after;
}

static void
heading (Pdf        *pdf,
         const char *text)
{
  g_autoptr(PangoLayout) layout = new_layout (pdf, text, FONT_HEADING, CONTENT_WIDTH);
  double height = layout_height (layout);

  /* Keep a heading with at least two lines of what follows it. */
  pdf->y += 6;
  ensure_space (pdf, height + 20);
  tag_begin (pdf, "H2");
  draw_layout (pdf, layout, MARGIN, pdf->y, &black);
  tag_end (pdf, "H2");
  pdf->y += height + 2;
  set_colour (pdf, &rule);
  cairo_set_line_width (pdf->cr, 0.6);
  cairo_move_to (pdf->cr, MARGIN, pdf->y);
  cairo_line_to (pdf->cr, PAGE_WIDTH - MARGIN, pdf->y);
  cairo_stroke (pdf->cr);
  pdf->y += 4;
}

/* Label in the left column, value beside it. */
static void
row_with (Pdf        *pdf,
          const char *label,
          const char *value,
          Font        value_font,
          double      label_width)
{
  g_autoptr(PangoLayout) label_layout = new_layout (pdf, label, FONT_BODY, label_width - 8);
  g_autoptr(PangoLayout) value_layout = new_layout (pdf, value != NULL ? value : "—", value_font,
                                                    CONTENT_WIDTH - label_width);
  double height = MAX (layout_height (label_layout), layout_height (value_layout));

  tag_begin (pdf, "P");
  if (height <= PAGE_HEIGHT - 2 * MARGIN - HEADER_SPACE - 40)
    {
      ensure_space (pdf, height);
      draw_layout (pdf, label_layout, MARGIN, pdf->y, &grey);
      draw_layout (pdf, value_layout, MARGIN + label_width, pdf->y, &black);
      pdf->y += height + 2;
    }
  else
    {
      /* Longer than a page: the label, then the value flowing over the pages. */
      ensure_space (pdf, layout_height (label_layout) + 24);
      draw_layout (pdf, label_layout, MARGIN, pdf->y, &grey);
      draw_flowing (pdf, value_layout, MARGIN + label_width, &black);
      pdf->y += 2;
    }
  tag_end (pdf, "P");
}

static void
row (Pdf        *pdf,
     const char *label,
     const char *value,
     Font        value_font)
{
  row_with (pdf, label, value, value_font, LABEL_WIDTH);
}

/* Short label/value pairs two to a line. */
typedef struct {
  char *label;
  char *value;
  Font  font;
} Cell;

static void
cell_free (Cell *cell)
{
  g_free (cell->label);
  g_free (cell->value);
  g_free (cell);
}

static GPtrArray *
cells_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cell_free);
}

static void
cell_add (GPtrArray  *cells,
          const char *label,
          const char *value,
          Font        font)
{
  Cell *cell = g_new0 (Cell, 1);

  cell->label = g_strdup (label);
  cell->value = g_strdup (value != NULL ? value : "—");
  cell->font = font;
  g_ptr_array_add (cells, cell);
}

static void
grid_with (Pdf       *pdf,
           GPtrArray *cells,
           double     label_width)
{
  for (guint i = 0; i < cells->len; i += 2)
    {
      PangoLayout *labels[2] = { NULL, NULL };
      PangoLayout *values[2] = { NULL, NULL };
      double height = 0;

      for (guint j = 0; j < 2 && i + j < cells->len; j++)
        {
          Cell *cell = g_ptr_array_index (cells, i + j);

          labels[j] = new_layout (pdf, cell->label, FONT_BODY, label_width - 6);
          values[j] = new_layout (pdf, cell->value, cell->font, CELL_WIDTH - label_width);
          height = MAX (height, MAX (layout_height (labels[j]), layout_height (values[j])));
        }

      if (height > PAGE_HEIGHT - 2 * MARGIN - HEADER_SPACE - 40)
        {
          /* Too long for a cell: one to a line, flowing over pages. */
          for (guint j = 0; j < 2 && i + j < cells->len; j++)
            {
              Cell *cell = g_ptr_array_index (cells, i + j);
              row (pdf, cell->label, cell->value, cell->font);
            }
        }
      else
        {
          ensure_space (pdf, height);
          for (guint j = 0; j < 2 && labels[j] != NULL; j++)
            {
              double x = MARGIN + j * (CELL_WIDTH + GRID_GAP);

              tag_begin (pdf, "P");
              draw_layout (pdf, labels[j], x, pdf->y, &grey);
              draw_layout (pdf, values[j], x + label_width, pdf->y, &black);
              tag_end (pdf, "P");
            }
          pdf->y += height + 2;
        }

      for (guint j = 0; j < 2; j++)
        {
          g_clear_object (&labels[j]);
          g_clear_object (&values[j]);
        }
    }
}

static void
grid (Pdf       *pdf,
      GPtrArray *cells)
{
  grid_with (pdf, cells, CELL_LABEL);
}

static void
cell_report (GPtrArray  *cells,
             MwReport   *report,
             const char *label,
             const char *path)
{
  const char *value = mw_export_string (report, path);

  cell_add (cells, label, value != NULL ? value : _("unknown"), FONT_BODY);
}

static void
report_row (Pdf        *pdf,
            MwReport   *report,
            const char *label,
            const char *path)
{
  const char *value = mw_export_string (report, path);

  row (pdf, label, value != NULL ? value : _("unknown"), FONT_BODY);
}

/* In Dutch time, as every time of the record: the PDF is the same whoever makes it where. */
static char *
format_time (GDateTime *time)
{
  if (time == NULL)
    return g_strdup (_("unknown"));
  return mw_format_dutch_time (time);
}

static void
cell_time (GPtrArray  *cells,
           MwReport   *report,
           const char *label,
           const char *path)
{
  g_autoptr(GDateTime) time = mw_export_report_time (report, path);
  g_autofree char *text = format_time (time);

  cell_add (cells, label, text, FONT_BODY);
}

static const char *
yes_no_unknown (MwReport   *report,
                const char *path)
{
  gboolean value;

  if (!mw_report_get_boolean (report, path, &value))
    return _("unknown");
  return value ? _("yes") : _("no");
}

/* The report's vocabularies have their names in the model (vocabulary_label); these are the
 * other closed lists the record shows. */
static const char *
enum_label (const char *value)
{
  static const struct {
    const char *id;
    const char *label;
  } labels[] = {
    { "availability", N_("availability") },
    { "integrity", N_("integrity") },
    { "confidentiality", N_("confidentiality") },
    { "authenticity", N_("authenticity") },
    { "csirt", N_("CSIRT") },
    { "competent-authority", N_("Competent authority") },
    { "advisory", N_("Advisory") },
  };

  if (value == NULL)
    return _("unknown");
  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (value, labels[i].id))
      return _(labels[i].label);
  return value;
}

static const char *
vocabulary_label (GType       vocabulary,
                  const char *nick)
{
  int value;

  if (nick == NULL)
    return _("unknown");
  if (!mw_enum_from_nick (vocabulary, nick, &value))
    return nick;
  return mw_enum_get_display_name (vocabulary, value);
}

static const char *
channel_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "phone") == 0)
    return _("Phone");
  if (g_strcmp0 (kind, "email") == 0)
    return _("E-mail");
  if (g_strcmp0 (kind, "web") == 0)
    return _("Web");
  if (g_strcmp0 (kind, "post") == 0)
    return _("Post");
  return kind != NULL ? kind : "";
}

static const char *
fact_label (MwRegime   *regime,
            const char *id)
{
  const MwFactDef *fact = regime != NULL ? mw_regime_find_fact (regime, id) : NULL;
  const char *label = fact != NULL ? mw_label_get (&fact->label) : NULL;

  return label != NULL && *label ? label : id;
}

static char *
format_number (double value)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *digits = NULL;
  gboolean negative = value < 0;
  gint64 whole;
  int cents;
  gsize length;

  if (!(value > -1e15 && value < 1e15))  /* also NaN */
    return g_strdup_printf ("%g", value);

  value = negative ? -value : value;
  whole = (gint64) value;
  cents = (int) ((value - (double) whole) * 100 + 0.5);
  if (cents >= 100)
    {
      whole++;
      cents -= 100;
    }

  digits = g_strdup_printf ("%" G_GINT64_FORMAT, whole);
  length = strlen (digits);
  if (negative)
    g_string_append_c (text, '-');
  for (gsize i = 0; i < length; i++)
    {
      if (i > 0 && (length - i) % 3 == 0 && length > 4)
        g_string_append (text, "\xc2\xa0");  /* no-break space */
      g_string_append_c (text, digits[i]);
    }
  if (cents > 0)
    {
      /* Decimal sign of the user's language. */
      g_string_append (text, g_str_equal (mw_language (), "nl") ? "," : ".");
      if (cents % 10 == 0)
        g_string_append_printf (text, "%d", cents / 10);
      else
        g_string_append_printf (text, "%02d", cents);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
fact_value (MwRegime   *regime,
            JsonNode   *node,
            const char *id)
{
  const MwFactDef *fact = regime != NULL ? mw_regime_find_fact (regime, id) : NULL;
  const char *unit = fact != NULL ? mw_label_get (&fact->unit) : NULL;
  g_autofree char *value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_("unknown"));
  if (!JSON_NODE_HOLDS_VALUE (node))
    return mw_json_to_canonical (node);

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      value = format_number (json_node_get_double (node));
      break;
    case G_TYPE_STRING:
      value = g_strdup (json_node_get_string (node));
      break;
    default:
      value = mw_json_to_canonical (node);
    }

  if (unit != NULL && *unit)
    return g_strconcat (value, " ", unit, NULL);
  return g_steal_pointer (&value);
}

static const char *
status_label (MwStatus status)
{
  switch (status)
    {
    case MW_STATUS_MET:
      return _("met");
    case MW_STATUS_NOT_MET:
      return _("not met");
    case MW_STATUS_EXCLUDED:
      return _("excluded");
    case MW_STATUS_UNKNOWN:
    default:
      return _("unknown");
    }
}

static const Colour *
status_colour (MwStatus status)
{
  switch (status)
    {
    case MW_STATUS_MET:
      return &red;
    case MW_STATUS_NOT_MET:
    case MW_STATUS_EXCLUDED:
      return &green;
    case MW_STATUS_UNKNOWN:
    default:
      return &amber;
    }
}

/* The status column is as wide as its widest word in this language ("onbekend"): a status is
 * never broken inside the word. */
static double
badge_width (Pdf *pdf)
{
  const char *words[] = {
    status_label (MW_STATUS_MET), status_label (MW_STATUS_NOT_MET), status_label (MW_STATUS_EXCLUDED),
    status_label (MW_STATUS_UNKNOWN), _("excludes"),
  };

  if (pdf->badge > 0)
    return pdf->badge;
  pdf->badge = 62;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_autoptr(PangoLayout) layout = new_layout (pdf, words[i], FONT_BOLD, CONTENT_WIDTH);
      PangoRectangle logical;

      pango_layout_get_extents (layout, NULL, &logical);
      pdf->badge = MAX (pdf->badge, (double) logical.width / PANGO_SCALE + 2);
    }
  return pdf->badge;
}

static void
status_line (Pdf          *pdf,
             const char   *status,
             const Colour *colour,
             const char   *text,
             const char   *detail)
{
  double column = badge_width (pdf) + 8;
  g_autoptr(PangoLayout) badge = new_layout (pdf, status, FONT_BOLD, column - 8);
  g_autoptr(PangoLayout) layout = new_layout (pdf, text, FONT_BODY, CONTENT_WIDTH - column);
  g_autoptr(PangoLayout) small = detail != NULL ? new_layout (pdf, detail, FONT_SMALL, CONTENT_WIDTH - column) : NULL;
  double text_height = layout_height (layout);
  double height = MAX (layout_height (badge), text_height + (small != NULL ? layout_height (small) : 0));

  ensure_space (pdf, height);
  draw_layout (pdf, badge, MARGIN + 4, pdf->y, colour);
  draw_layout (pdf, layout, MARGIN + column, pdf->y, &black);
  if (small != NULL)
    draw_layout (pdf, small, MARGIN + column, pdf->y + text_height, &grey);
  pdf->y += height + 3;
}

static char *
missing_text (MwRegime  *regime,
              GPtrArray *missing)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < missing->len; i++)
    g_string_append_printf (text, "%s%s", i ? ", " : "", fact_label (regime, g_ptr_array_index (missing, i)));
  return g_strdup_printf (_("Needs an answer to: %s"), text->str);
}

static void
verdict_section (Pdf          *pdf,
                 MwAssessment *assessment)
{
  MwRegime *regime = mw_assessment_get_regime (assessment);
  GPtrArray *criteria = mw_assessment_get_criteria (assessment);
  GPtrArray *exclusions = mw_assessment_get_exclusions (assessment);
  GPtrArray *deadlines = mw_assessment_get_deadlines (assessment);
  GPtrArray *deciding = mw_assessment_get_deciding_facts (assessment);
  const char *verdict, *advice;
  const Colour *colour;

  switch (mw_assessment_get_verdict (assessment))
    {
    case MW_VERDICT_MANDATORY:
      verdict = _("Mandatory: this incident must be reported");
      advice = _("At least one criterion is met and no exclusion applies.");
      colour = &red;
      break;
    case MW_VERDICT_VOLUNTARY:
      verdict = _("Voluntary: no reporting duty applies");
      advice = _("Every criterion is decided and none is met, or an exclusion applies. You may still report voluntarily.");
      colour = &green;
      break;
    case MW_VERDICT_UNDETERMINED:
    default:
      verdict = _("Undetermined: the answers so far do not decide it");
      advice = _("No criterion is met yet, but some cannot be decided. When in doubt, report.");
      colour = &amber;
      break;
    }

  heading (pdf, _("Verdict"));
  paragraph (pdf, verdict, FONT_VERDICT, 0, colour, 2);
  paragraph (pdf, advice, FONT_BODY, 0, &black, 4);
  if (mw_regime_get_effective_uncertain (regime))
    paragraph (pdf, mw_label_get (mw_regime_get_uncertainty (regime)), FONT_SMALL, 0, &grey, 4);

  for (guint i = 0; i < criteria->len; i++)
    {
      MwCriterionResult *result = g_ptr_array_index (criteria, i);
      g_autofree char *text = NULL;

      if (result->status == MW_STATUS_NOT_MET)
        continue;
      text = g_strdup_printf ("%s · %s", mw_label_get (&result->criterion->citation_label),
                              result->criterion->id);
      status_line (pdf, status_label (result->status), status_colour (result->status),
                   mw_label_get (&result->criterion->label), text);
    }

  /* Criteria that are decided and not met, in one paragraph: what was checked. Citations of
   * one instrument share their start ("Regulation …, "), which is said once. */
  {
    g_autoptr(GString) not_met = g_string_new (NULL);
    g_autoptr(GPtrArray) citations = g_ptr_array_new ();
    gsize prefix = 0;

    for (guint i = 0; i < criteria->len; i++)
      {
        MwCriterionResult *result = g_ptr_array_index (criteria, i);

        if (result->status == MW_STATUS_NOT_MET)
          g_ptr_array_add (citations, (gpointer) mw_label_get (&result->criterion->citation_label));
      }
    if (citations->len >= 2)
      {
        const char *first = g_ptr_array_index (citations, 0);

        prefix = strlen (first);
        for (guint i = 1; i < citations->len; i++)
          {
            const char *other = g_ptr_array_index (citations, i);
            gsize common = 0;

            while (common < prefix && first[common] == other[common])
              common++;
            prefix = common;
          }
        /* Cut back to the last ", " so that the shared part is a whole name. */
        while (prefix > 1 && !(first[prefix - 2] == ',' && first[prefix - 1] == ' '))
          prefix--;
        if (prefix < 10)
          prefix = 0;
        else
          g_string_append_len (not_met, first, prefix - 2);
      }
    for (guint i = 0; i < citations->len; i++)
      {
        const char *citation = g_ptr_array_index (citations, i);

        if (prefix > 0)
          g_string_append_printf (not_met, "%s%s", i == 0 ? ": " : "; ", citation + prefix);
        else
          g_string_append_printf (not_met, "%s%s", i == 0 ? "" : "; ", citation);
      }
    if (not_met->len > 0)
      {
        double column = badge_width (pdf) + 8;
        g_autoptr(PangoLayout) badge = new_layout (pdf, status_label (MW_STATUS_NOT_MET), FONT_BOLD, column - 8);
        g_autoptr(PangoLayout) layout = new_layout (pdf, not_met->str, FONT_SMALL, CONTENT_WIDTH - column);
        double height = MAX (layout_height (badge), layout_height (layout));

        ensure_space (pdf, height);
        draw_layout (pdf, badge, MARGIN + 4, pdf->y, &green);
        draw_layout (pdf, layout, MARGIN + column, pdf->y + 1, &grey);
        pdf->y += height + 3;
      }
  }

  for (guint i = 0; i < exclusions->len; i++)
    {
      MwCriterionResult *result = g_ptr_array_index (exclusions, i);
      g_autofree char *text = NULL;

      if (result->status != MW_STATUS_MET)
        continue;
      text = g_strdup_printf ("%s · %s", mw_label_get (&result->criterion->citation_label),
                              result->criterion->id);
      status_line (pdf, _("excludes"), &green, mw_label_get (&result->criterion->label), text);
    }

  if (deciding != NULL && deciding->len > 0 && mw_assessment_get_verdict (assessment) == MW_VERDICT_UNDETERMINED)
    {
      g_autofree char *missing = missing_text (regime, deciding);
      pdf->y += 2;
      paragraph (pdf, missing, FONT_BODY, 0, &black, 4);
    }

  if (deadlines != NULL && deadlines->len > 0)
    {
      pdf->y += 4;
      paragraph (pdf, _("Deadlines"), FONT_BOLD, 0, &black, 2);
      for (guint i = 0; i < deadlines->len; i++)
        {
          MwDeadline *deadline = g_ptr_array_index (deadlines, i);
          g_autofree char *due = NULL;

          if (deadline->due != NULL)
            due = format_time (deadline->due);
          else if (deadline->stage->without_delay)
            due = g_strdup (_("without delay"));
          else if (deadline->stage->has_deadline)
            due = g_strdup (_("not known yet: it counts from a time that is not known yet"));
          else
            due = g_strdup (_("when asked"));
          row_with (pdf, mw_label_get (&deadline->stage->label), due, FONT_BODY, 250);
        }
    }
}

/* A web address becomes a link (cairo's link tag); anything else stays text. */
static gboolean
is_link (const char *value)
{
  if (value == NULL || !(g_str_has_prefix (value, "https://") || g_str_has_prefix (value, "http://")))
    return FALSE;
  for (const char *c = value; *c != '\0'; c++)
    if (*c == '\'' || *c == '\\' || g_ascii_isspace (*c) || (guchar) *c < 0x20)
      return FALSE;
  return TRUE;
}

static void
link_begin (Pdf        *pdf,
            const char *value)
{
  g_autofree char *attributes = NULL;

  if (!is_link (value))
    return;
  attributes = g_strdup_printf ("uri='%s'", value);
  tag_begin_with (pdf, CAIRO_TAG_LINK, attributes);
}

static void
link_end (Pdf        *pdf,
          const char *value)
{
  if (is_link (value))
    tag_end (pdf, CAIRO_TAG_LINK);
}

static void
recipient_block (Pdf               *pdf,
                 const MwRecipient *recipient,
                 const char        *why)
{
  g_autofree char *title = g_strdup_printf ("%s (%s)", mw_label_get (&recipient->name),
                                            enum_label (recipient->role));

  pdf->y += 3;
  ensure_space (pdf, 40);
  paragraph (pdf, title, FONT_BOLD, 0, &black, 1);
  if (why != NULL)
    paragraph (pdf, why, FONT_SMALL, 0, &grey, 1);
  for (guint i = 0; recipient->channels != NULL && i < recipient->channels->len; i++)
    {
      MwChannel *channel = g_ptr_array_index (recipient->channels, i);
      const char *note = mw_label_get (&channel->label);
      g_autofree char *value = NULL;

      if (note != NULL && *note)
        value = g_strdup_printf ("%s — %s", channel->value, note);
      else
        value = g_strdup (channel->value);
      link_begin (pdf, channel->value);
      row_with (pdf, channel_kind_label (channel->kind), value, FONT_BODY, 56);
      link_end (pdf, channel->value);
    }
  if (recipient->endpoint != NULL && *recipient->endpoint)
    row_with (pdf, _("Endpoint"), recipient->endpoint, FONT_BODY, 56);
}

static void
recipients_section (Pdf          *pdf,
                    MwAssessment *assessment)
{
  GPtrArray *recipients = mw_assessment_get_recipients (assessment);
  GPtrArray *advisories = mw_assessment_get_advisories (assessment);

  heading (pdf, _("Recipients and how to reach them"));
  paragraph (pdf, _("File the same report with every recipient below. Call first where a phone line is given."),
             FONT_SMALL, 0, &grey, 2);
  for (guint i = 0; recipients != NULL && i < recipients->len; i++)
    recipient_block (pdf, g_ptr_array_index (recipients, i), NULL);

  for (guint i = 0; advisories != NULL && i < advisories->len; i++)
    {
      MwAdvisoryResult *result = g_ptr_array_index (advisories, i);
      g_autofree char *why = NULL;

      if (result->advisory->recipient == NULL)
        continue;
      why = g_strdup_printf ("%s: %s (%s)",
                             result->status == MW_STATUS_MET ? _("Also required") : _("Possibly required"),
                             mw_label_get (&result->advisory->label),
                             mw_label_get (&result->advisory->citation_label));
      recipient_block (pdf, result->advisory->recipient, why);
    }
}

static void
facts_section (Pdf          *pdf,
               MwReport     *report,
               MwRegime     *regime,
               MwAssessment *assessment)
{
  const MwEntityType *entity_type = assessment != NULL ? mw_assessment_get_entity_type (assessment) : NULL;
  JsonNode *facts = mw_report_get_node (report, "facts");
  JsonObject *object = facts != NULL && JSON_NODE_HOLDS_OBJECT (facts) ? json_node_get_object (facts) : NULL;
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) unknown = g_string_new (NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) cells = cells_new ();

  heading (pdf, _("Facts"));

  /* The facts this entity type is asked about, in the regime's order, then whatever else
   * the report holds, in its own order. */
  for (guint i = 0; entity_type != NULL && entity_type->facts != NULL && i < entity_type->facts->len; i++)
    {
      MwFactDef *fact = g_ptr_array_index (entity_type->facts, i);

      if (g_strcmp0 (fact->type, "derived") != 0 && g_hash_table_add (shown, fact->id))
        g_ptr_array_add (ids, fact->id);
    }
  if (object != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        if (g_hash_table_add (shown, l->data))
          g_ptr_array_add (ids, l->data);
    }

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      JsonNode *node = object != NULL ? json_object_get_member (object, id) : NULL;
      g_autofree char *value = NULL;

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          g_string_append_printf (unknown, "%s%s", unknown->len > 0 ? "; " : "", fact_label (regime, id));
          continue;
        }
      value = fact_value (regime, node, id);
      cell_add (cells, fact_label (regime, id), value, FONT_BODY);
    }
  grid_with (pdf, cells, FACT_LABEL);

  if (unknown->len > 0)
    row (pdf, _("Not known yet"), unknown->str, FONT_BODY);
  if (ids->len == 0)
    paragraph (pdf, _("No facts given."), FONT_BODY, 0, &grey, 2);
}

static char *
contact_text (MwReport   *report,
              const char *prefix)
{
  static const char * const parts[] = { "name", "role", "email", "phone", NULL };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (prefix, ".", parts[i], NULL);
      const char *value = mw_export_string (report, path);

      if (value != NULL)
        g_string_append_printf (text, "%s%s", text->len > 0 ? (i == 1 ? ", " : "\n") : "", value);
    }
  if (text->len == 0)
    return g_strdup (_("unknown"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
list_text (MwReport   *report,
           const char *path)
{
  JsonNode *node = mw_report_get_node (report, path);
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup (_("unknown"));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_string_append_printf (text, "%s%s", text->len > 0 ? ", " : "", enum_label (json_node_get_string (element)));
    }
  if (text->len == 0)
    return g_strdup (_("none"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
report_sections (Pdf          *pdf,
                 MwReport     *report,
                 MwRegime     *regime,
                 MwAssessment *assessment)
{
  const char *category = mw_export_string (report, "nature.category");
  const MwTaxonomyEntry *entry = category != NULL ? mw_taxonomy_lookup (category) : NULL;
  const char *entity_type_id = mw_export_string (report, "provider.entity_type");
  const MwEntityType *entity_type = entity_type_id != NULL && regime != NULL ?
                                    mw_regime_find_entity_type (regime, entity_type_id) : NULL;
  g_autofree char *category_text = NULL;
  g_autofree char *entity_text = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *technical = NULL;
  g_autofree char *affected = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  JsonNode *indicators;

  heading (pdf, _("Provider and service"));
  cells = cells_new ();
  cell_report (cells, report, _("Service"), "service.name");
  cell_report (cells, report, _("Network or system"), "service.network");
  if (entity_type != NULL)
    entity_text = g_strdup_printf ("%s (%s)", mw_label_get (&entity_type->label), entity_type->id);
  cell_add (cells, _("Entity type"), entity_text != NULL ? entity_text : entity_type_id, FONT_BODY);
  cell_report (cells, report, _("Sector"), "provider.sector");
  contact = contact_text (report, "provider.contact");
  cell_add (cells, _("Contact"), contact, FONT_BODY);
  technical = contact_text (report, "provider.technical_contact");
  cell_add (cells, _("Technical contact"), technical, FONT_BODY);
  grid (pdf, cells);
  g_clear_pointer (&cells, g_ptr_array_unref);

  heading (pdf, _("Timeline"));
  cells = cells_new ();
  cell_time (cells, report, _("Started"), "timeline.started_at");
  cell_time (cells, report, _("Detected"), "timeline.detected_at");
  cell_time (cells, report, _("Aware"), "timeline.aware_at");
  cell_time (cells, report, _("Resolved"), "timeline.resolved_at");
  grid (pdf, cells);
  g_clear_pointer (&cells, g_ptr_array_unref);

  heading (pdf, _("Nature and scope"));
  report_row (pdf, report, _("Description"), "nature.description");
  cells = cells_new ();
  if (entry != NULL)
    category_text = g_strdup_printf ("%s: %s (%s)", entry->class_name, entry->type_name, entry->id);
  cell_add (cells, _("Category (ENISA)"), category_text != NULL ? category_text : category != NULL ? category : _("unknown"),
            FONT_BODY);
  cell_add (cells, _("Cause"), vocabulary_label (MW_TYPE_CAUSE, mw_export_string (report, "nature.cause")), FONT_BODY);
  affected = list_text (report, "nature.affected");
  cell_add (cells, _("Affected"), affected, FONT_BODY);
  cell_add (cells, _("Suspected unlawful"), yes_no_unknown (report, "nature.suspected_unlawful"), FONT_BODY);
  grid (pdf, cells);
  g_clear_pointer (&cells, g_ptr_array_unref);

  indicators = mw_report_get_node (report, "indicators");
  if (indicators != NULL && JSON_NODE_HOLDS_ARRAY (indicators) &&
      json_array_get_length (json_node_get_array (indicators)) > 0)
    {
      JsonArray *array = json_node_get_array (indicators);

      heading (pdf, _("Indicators"));
      cells = cells_new ();
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *type, *value;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          type = mw_json_get_string (json_node_get_object (element), "type");
          value = mw_json_get_string (json_node_get_object (element), "value");
          cell_add (cells, type != NULL ? type : "?", value != NULL ? value : "?", FONT_MONO);
        }
      grid_with (pdf, cells, 72);
      g_clear_pointer (&cells, g_ptr_array_unref);
    }

  facts_section (pdf, report, regime, assessment);

  heading (pdf, _("Recovery and consent"));
  report_row (pdf, report, _("Measures"), "recovery.measures");
  cells = cells_new ();
  cell_add (cells, _("Status"), vocabulary_label (MW_TYPE_RECOVERY_STATUS, mw_export_string (report, "recovery.status")), FONT_BODY);
  cell_time (cells, report, _("Expected recovery"), "recovery.forecast_at");
  grid (pdf, cells);
  g_clear_pointer (&cells, g_ptr_array_unref);
  cells = cells_new ();
  cell_add (cells, _("CSIRT help requested"), yes_no_unknown (report, "recovery.csirt_help_requested"), FONT_BODY);
  cell_add (cells, _("CSIRT may share identifiable data"),
            yes_no_unknown (report, "consent.csirt_may_share_identifiable"), FONT_BODY);
  cell_add (cells, _("CSIRT may consult the regulator"),
            yes_no_unknown (report, "consent.csirt_may_consult_regulator"), FONT_BODY);
  grid_with (pdf, cells, FACT_LABEL);
  g_clear_pointer (&cells, g_ptr_array_unref);
  if (mw_export_string (report, "personal_data_notice") != NULL)
    report_row (pdf, report, _("Personal data"), "personal_data_notice");

}

/* A thumbprint to read aloud, as two lines of eight groups: a value column never has to break
 * it, and so never inside a group. */
static char *
pdf_thumbprint (const char *kid)
{
  g_autofree char *grouped = mw_thumbprint_format (kid);
  char *space;
  guint n = 0;

  if (grouped == NULL)
    return NULL;
  for (space = strchr (grouped, ' '); space != NULL; space = strchr (space + 1, ' '))
    if (++n == 8)
      {
        *space = '\n';
        break;
      }
  return g_steal_pointer (&grouped);
}

/* In the title block: which signed file this PDF belongs to. */
static void
signature_rows (Pdf        *pdf,
                const char *jws)
{
  g_autofree char *kid = NULL;
  g_autofree char *thumbprint = NULL;
  g_autofree char *sha256 = NULL;

  if (jws == NULL)
    {
      row (pdf, _("Signature"), _("not signed: file the signed report (.jws) with it where you can"),
           FONT_BODY);
      return;
    }

  mw_jws_parse (jws, &kid, NULL, NULL, NULL);
  sha256 = mw_sha256_hex ((const guint8 *) jws, strlen (jws));
  row (pdf, _("Signed report"), _("compact JWS (Ed25519) of exactly this report; check the file against:"), FONT_BODY);
  row (pdf, _("SHA-256"), sha256, FONT_MONO);
  row (pdf, _("Key id (kid)"), kid != NULL ? kid : _("unknown"), FONT_MONO);
  if (kid != NULL)
    {
      g_autofree char *grouped = pdf_thumbprint (kid);

      row (pdf, _("Signing key"), grouped, FONT_MONO);
    }
}

static const char *
json_string (JsonObject *object,
             const char *member)
{
  const char *value = object != NULL ? mw_json_get_string (object, member) : NULL;

  return value != NULL && *value != '\0' ? value : NULL;
}

static char *
time_for_people (const char *rfc3339)
{
  g_autoptr(GDateTime) time = NULL;

  if (rfc3339 == NULL || !mw_parse_time (rfc3339, &time))
    return g_strdup (rfc3339 != NULL ? rfc3339 : _("unknown"));
  return format_time (time);
}

/* Decisions not to report, kept with the incident. */
static void
decisions_section (Pdf       *pdf,
                   JsonArray *decisions)
{
  guint n = decisions != NULL ? json_array_get_length (decisions) : 0;

  if (n == 0)
    return;
  heading (pdf, _("Decisions not to report"));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (decisions, i);
      JsonObject *decision = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *when = time_for_people (json_string (decision, "decided_at"));
      g_autofree char *grouped = json_string (decision, "kid") != NULL ?
                                 pdf_thumbprint (json_string (decision, "kid")) : NULL;

      pdf->y += 3;
      ensure_space (pdf, 60);
      row (pdf, _("Decided"), when, FONT_BODY);
      row (pdf, _("Decided by"), json_string (decision, "decided_by"), FONT_BODY);
      row (pdf, _("Verdict"), json_string (decision, "verdict"), FONT_BODY);
      row (pdf, _("Reason"), json_string (decision, "reason"), FONT_BODY);
      row (pdf, _("Decision ID"), json_string (decision, "decision_id"), FONT_MONO);
      row (pdf, _("SHA-256"), json_string (decision, "sha256"), FONT_MONO);
      row (pdf, _("Signing key"), grouped, FONT_MONO);
    }
}

/* How and when each recipient was reached, as `incident show --json` lists a report's
 * deliveries: a receipt (who, when, its id, the key that signed it, verified against that
 * key), a desk's reference and time, the desk that forwarded it, or why not yet. */
static void
deliveries_section (Pdf       *pdf,
                    MwRegime  *regime,
                    JsonArray *deliveries)
{
  guint n = deliveries != NULL ? json_array_get_length (deliveries) : 0;

  heading (pdf, _("How each recipient was reached"));
  if (n == 0)
    {
      paragraph (pdf, _("No delivery of this report is recorded."), FONT_BODY, 0, &grey, 2);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (deliveries, i);
      JsonObject *delivery = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = json_string (delivery, "recipient");
      const MwRecipient *recipient = regime && id ? mw_regime_find_recipient (regime, id) : NULL;
      const char *name = mw_regime_get_recipient_name (regime, id);
      const char *state = json_string (delivery, "state");
      const char *by_id = json_string (delivery, "forwarded_by");
      MwDeliveryState value = MW_DELIVERY_STATE_PENDING;

      pdf->y += 3;
      ensure_space (pdf, 48);
      paragraph (pdf, name != NULL ? name : "—", FONT_BOLD, 0, &black, 1);
      mw_delivery_state_from_string (state, &value);
      switch (value)
        {
        case MW_DELIVERY_STATE_DELIVERED:
          {
            g_autofree char *received = time_for_people (json_string (delivery, "received_at"));
            const char *kid = json_string (delivery, "receipt_kid");
            g_autofree char *grouped = kid != NULL ? pdf_thumbprint (kid) : NULL;

            row (pdf, _("Received"), received, FONT_BODY);
            row (pdf, _("Receipt ID"), json_string (delivery, "receipt_id"), FONT_MONO);
            row (pdf, _("Receipt key"), grouped, FONT_MONO);
            row (pdf, _("Signature"), _("verified against the recipient’s pinned key"), FONT_BODY);
          }
          break;
        case MW_DELIVERY_STATE_FILED_BY_HAND:
          {
            g_autofree char *filed = time_for_people (json_string (delivery, "filed_at"));

            row (pdf, _("Filed at its desk"), filed, FONT_BODY);
            row (pdf, _("Reference"), json_string (delivery, "reference"), FONT_MONO);
          }
          break;
        case MW_DELIVERY_STATE_FORWARDED:
          {
            g_autofree char *filed = time_for_people (json_string (delivery, "filed_at"));
            g_autofree char *text = g_strdup_printf (_("forwarded by %s, filed there at %s"),
                                                     by_id != NULL ? mw_regime_get_recipient_name (regime, by_id) : "—", filed);

            row (pdf, _("State"), text, FONT_BODY);
            if (recipient != NULL && recipient->forwarded_by_source != NULL)
              row (pdf, _("Source"), recipient->forwarded_by_source, FONT_BODY);
          }
          break;
        case MW_DELIVERY_STATE_AWAITING_FILING:
          row (pdf, _("State"), _("awaiting filing at its desk"), FONT_BODY);
          break;
        case MW_DELIVERY_STATE_FAILED:
          row (pdf, _("State"), _("refused"), FONT_BODY);
          break;
        case MW_DELIVERY_STATE_PENDING:
        default:
          row (pdf, _("State"), _("not delivered yet"), FONT_BODY);
        }
    }
}

static char *
pdf_date (GDateTime *time)
{
  /* cairo wants ISO 8601: YYYY-MM-DDThh:mm:ss with an optional offset. */
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S%:z");
}

static gboolean
check_jws (MwReport    *report,
           const char  *jws,
           GError     **error)
{
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *canonical = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;
  const char *data;

  if (!mw_jws_parse (jws, NULL, NULL, &payload, &local_error))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("the signed report is not a compact JWS (%s); give the .jws file that was signed from this report"),
                   local_error->message);
      return FALSE;
    }

  canonical = mw_report_to_canonical_json (report);
  data = g_bytes_get_data (payload, &length);
  if (length != strlen (canonical) || memcmp (data, canonical, length) != 0)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("the signed report does not hold this report; give the .jws file signed from exactly this report"));
      return FALSE;
    }
  return TRUE;
}

GBytes *
mw_export_pdf (MwReport    *report,
               MwRegime    *regime,
               const char  *jws,
               GError     **error)
{
  return mw_export_pdf_record (report, regime, jws, NULL, NULL, error);
}

GBytes *
mw_export_pdf_record (MwReport    *report,
                      MwRegime    *regime,
                      const char  *jws,
                      JsonArray   *deliveries,
                      JsonArray   *decisions,
                      GError     **error)
{
  g_autoptr(MwRegime) loaded = NULL;
  g_autoptr(MwAssessor) assessor = NULL;
  g_autoptr(MwAssessment) assessment = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  g_autoptr(GError) assess_error = NULL;
  g_autofree char *date = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *created_text = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  cairo_font_options_t *options;
  const char *report_id = mw_export_string (report, "report_id");
  const char *summary = mw_export_string (report, "nature.summary");
  const char *stage_id = mw_export_string (report, "stage");
  const MwStage *stage = NULL;
  Pdf pdf = { 0 };
  cairo_status_t status;

  g_return_val_if_fail (MW_IS_REPORT (report), NULL);
  g_return_val_if_fail (regime == NULL || MW_IS_REGIME (regime), NULL);

  if (jws != NULL && !check_jws (report, jws, error))
    return NULL;

  created = mw_export_created_time (report, error);
  if (created == NULL)
    return NULL;

  if (regime == NULL)
    {
      const char *regime_id = mw_report_get_regime (report);
      g_autoptr(GError) local_error = NULL;

      if (regime_id == NULL)
        {
          g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                       _("regime: missing; the PDF needs the regime for the verdict and the recipients"));
          return NULL;
        }
      loaded = mw_regime_load (regime_id, &local_error);
      if (loaded == NULL)
        {
          g_set_error (error, MW_ERROR, MW_ERROR_NOT_FOUND, "regime: %s", local_error->message);
          return NULL;
        }
      regime = loaded;
    }

  assessor = mw_assessor_new (regime);
  assessment = mw_assessor_assess (assessor, report, &assess_error);
  if (stage_id != NULL)
    stage = mw_regime_find_stage (regime, stage_id);

  /* Twice: the first pass counts the pages, the second says "of N" on each. */
  for (int pass = 0; pass < 2; pass++)
  {
  int total = pdf.page;

  g_clear_pointer (&bytes, g_byte_array_unref);
  g_clear_pointer (&date, g_free);
  g_clear_pointer (&subtitle, g_free);
  g_clear_pointer (&created_text, g_free);
  g_clear_pointer (&cells, g_ptr_array_unref);
  memset (&pdf, 0, sizeof pdf);
  pdf.total = total;
  bytes = g_byte_array_new ();
  pdf.surface = cairo_pdf_surface_create_for_stream (write_to_array, bytes, PAGE_WIDTH, PAGE_HEIGHT);
  date = pdf_date (created);
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_TITLE,
                                  summary != NULL ? summary : _("Incident report"));
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_AUTHOR,
                                  mw_export_string (report, "provider.name") != NULL ?
                                  mw_export_string (report, "provider.name") : "");
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_CREATOR, "Meldwijzer " PACKAGE_VERSION);
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_MOD_DATE, date);
  pdf.cr = cairo_create (pdf.surface);
  pdf.context = pango_cairo_create_context (pdf.cr);
  /* Unhinted metrics: the layout does not depend on a screen's resolution. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pdf.context, options);
  cairo_font_options_destroy (options);
  pdf.training = mw_report_get_training (report);
  pdf.footer = g_strdup_printf (_("Meldwijzer incident report %s"), report_id != NULL ? report_id : "");

  tag_begin (&pdf, "Document");
  begin_page (&pdf);

  /* Title block */
  paragraph (&pdf, _("Cybersecurity incident report"), FONT_TITLE, 0, &black, 2);
  subtitle = g_strdup_printf ("%s · %s · %s (%s)",
                              stage != NULL ? mw_label_get (&stage->label) : vocabulary_label (MW_TYPE_REPORT_STAGE, stage_id),
                              vocabulary_label (MW_TYPE_REPORT_KIND, mw_export_string (report, "kind")),
                              mw_label_get (mw_regime_get_title (regime)), mw_regime_get_id (regime));
  paragraph (&pdf, subtitle, FONT_BODY, 0, &grey, 8);
  paragraph (&pdf, summary != NULL ? summary : _("Untitled incident"), FONT_HEADING, 0, &black, 6);

  created_text = format_time (created);
  cells = cells_new ();
  cell_add (cells, _("Provider"), mw_export_string (report, "provider.name"), FONT_BOLD);
  cell_add (cells, _("Written"), created_text, FONT_BODY);
  cell_add (cells, _("Registration"), mw_export_string (report, "provider.registration"), FONT_BODY);
  grid (&pdf, cells);
  row (&pdf, _("Report ID"), report_id != NULL ? report_id : _("none"), FONT_MONO);
  row (&pdf, _("Incident ID"), mw_export_string (report, "incident_id"), FONT_MONO);
  if (mw_export_string (report, "supersedes") != NULL)
    row (&pdf, _("Supersedes"), mw_export_string (report, "supersedes"), FONT_MONO);
  signature_rows (&pdf, jws);
  if (jws != NULL)
    deliveries_section (&pdf, regime, deliveries);
  decisions_section (&pdf, decisions);

  if (assessment != NULL)
    {
      verdict_section (&pdf, assessment);
      recipients_section (&pdf, assessment);
    }
  else
    {
      heading (&pdf, _("Verdict"));
      paragraph (&pdf, assess_error->message, FONT_BODY, 0, &red, 2);
    }

  report_sections (&pdf, report, regime, assessment);

  tag_end (&pdf, "Document");
  cairo_show_page (pdf.cr);
  g_object_unref (pdf.context);
  cairo_destroy (pdf.cr);
  cairo_surface_finish (pdf.surface);
  status = cairo_surface_status (pdf.surface);
  cairo_surface_destroy (pdf.surface);
  g_free (pdf.footer);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_FAILED, _("could not write the PDF: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }
  }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}
