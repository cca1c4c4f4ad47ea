/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-app-i18n"

/* What the wizard shows in each language, in English and, with --mo=FILE (the compiled
 * po/nl.po), in Dutch, on the real window with the real regime (so the rows built from it
 * exist):
 * - Every page shares one window with the header bar and the assistant's Back and Next
 *   buttons: no two controls there may answer to the same Alt+letter, and every text view is
 *   reached by one.
 * - In a 360 px wide window (a phone) no text of a page, of the header bar or of a toast is
 *   cut short with an ellipsis or squeezed until it breaks inside its words.
 * - The mode page names the recipients without an endpoint in the user's language. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "mw-assessment-page.h"
#include "mw-delivery-page.h"
#include "mw-early-warning-page.h"
#include "mw-key-page.h"
#include "mw-mode-page.h"
#include "mw-nature-page.h"
#include "mw-profile-page.h"
#include "mw-profile-window.h"
#include "mw-recovery-page.h"
#include "mw-review-page.h"
#include "mw-service-page.h"
#include "mw-store.h"
#include "mw-when-page.h"
#include "mw-window.h"
#include "mw-test-app.h"
#include "mw-test-util.h"
#include "mw-test-widgets.h"

#define NARROW_WIDTH  360
#define NARROW_HEIGHT 720

static char *tmpdir;
static const char *language = "en";
static guint db_counter;

typedef struct {
  guint      keyval;
  GtkWidget *label;
} Mnemonic;

/* A cloud provider under nl-cbw with two services and a key. */
static MwSession *
new_session (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSigner) signer = mw_signer_generate (&error);
  g_autofree char *name = g_strdup_printf ("test-%u.db", ++db_counter);
  g_autofree char *db = g_build_filename (tmpdir, name, NULL);
  MwSession *session;

  /* Every test its own database. */
  g_setenv ("MELDWIJZER_DB", db, TRUE);
  session = mw_session_new (tmpdir);
  g_assert_no_error (error);
  g_assert_true (mw_session_set_regime_id (session, "nl-cbw", &error));
  g_assert_no_error (error);
  mw_profile_set_name (mw_session_get_profile (session), "Wolkendienst B.V.");
  mw_profile_set_registration (mw_session_get_profile (session), "12345678");
  mw_profile_set_entity_type (mw_session_get_profile (session), "cloud");
  mw_profile_set_contact_name (mw_session_get_profile (session), "A. de Vries");
  mw_profile_set_contact_email (mw_session_get_profile (session), "soc@example.nl");
  mw_profile_add_service (mw_session_get_profile (session), "Object storage", "EU-West");
  mw_profile_add_service (mw_session_get_profile (session), "Block storage", "EU-West");
  /* (The key page shows this key instead of asking the keyring.) */
  mw_session_set_signer (session, signer);
  return session;
}

/* The report far enough along that the review page offers "Sign and send to NCSC and RDI". */
static void
fill_report (MwSession *session)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = mw_format_time (now);
  MwReport *report = mw_session_get_report (session);

  mw_report_set_string (report, "timeline.aware_at", time);
  mw_report_set_string (report, "timeline.started_at", time);
  mw_report_set_string (report, "nature.summary", "Storage down");
  /* A class whose types have long names, so that the Type list has something to cut. */
  mw_report_set_string (report, "nature.category", "information-content-security/unauthorised-information-modification");
  mw_report_set_string (report, "recovery.status", "investigating");
  /* What the early warning asks (Cbw art. 26). */
  mw_report_set_string (report, "service.name", "Object storage");
  mw_report_set_boolean (report, "nature.suspected_unlawful", TRUE);
  mw_report_set_boolean (report, "facts.cross_border", FALSE);
}

/* The control a mnemonic label moves to: its mnemonic widget, or else the widget it is in
 * (a button's own label). */
static GtkWidget *
control_of (GtkWidget *label)
{
  GtkWidget *widget = gtk_label_get_mnemonic_widget (GTK_LABEL (label));

  return widget != NULL ? widget : gtk_widget_get_parent (label);
}

static char *
describe (GtkWidget *label)
{
  return g_strdup_printf ("“%s” (%s)", gtk_label_get_label (GTK_LABEL (label)),
                          G_OBJECT_TYPE_NAME (control_of (label)));
}

/* The labels with a mnemonic that can be on screen with the current page: everything of the
 * page, hidden or not (a hidden row or button shows in another state of the page), and of the
 * window around it only what is shown now (Back is hidden on the first page, the whole bar on
 * the last). The other pages in the stack and popovers (own surfaces) are left out. */
static void
collect (GtkWidget *widget,
         GtkWidget *page,
         gboolean   in_page,
         GArray    *found)
{
  if (GTK_IS_POPOVER (widget))
    return;
  if (MW_IS_PAGE (widget))
    {
      if (widget != page)
        return;
      in_page = TRUE;
    }
  if (!in_page && !gtk_widget_get_visible (widget))
    return;

  if (GTK_IS_LABEL (widget) && gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol)
    {
      Mnemonic mnemonic = { gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget))), widget };
      gboolean seen = FALSE;

      /* (An AdwEntryRow has two labels for its one title: one control, one mnemonic.) */
      for (guint i = 0; i < found->len && !seen; i++)
        {
          Mnemonic *other = &g_array_index (found, Mnemonic, i);

          seen = other->keyval == mnemonic.keyval && control_of (other->label) == control_of (widget);
        }
      if (!seen)
        g_array_append_val (found, mnemonic);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect (child, page, in_page, found);
}

/* Two controls with one letter: Alt+letter only moves the focus between them, and a person
 * cannot tell which one it reaches first. */
static void
report_duplicates (GArray     *found,
                   const char *where,
                   GString    *problems)
{
  g_test_message ("%s (%s): %u mnemonics", where, language, found->len);
  g_assert_cmpuint (found->len, >, 0);

  for (guint i = 0; i < found->len; i++)
    for (guint j = i + 1; j < found->len; j++)
      {
        Mnemonic *a = &g_array_index (found, Mnemonic, i);
        Mnemonic *b = &g_array_index (found, Mnemonic, j);

        if (a->keyval == b->keyval)
          {
            g_autofree char *one = describe (a->label);
            g_autofree char *two = describe (b->label);
            gunichar letter = gdk_keyval_to_unicode (gdk_keyval_to_upper (a->keyval));
            char text[8] = { 0, };

            g_unichar_to_utf8 (letter, text);
            g_string_append_printf (problems, "\n  %s (%s): %s and %s both use Alt+%s",
                                    where, language, one, two, text);
          }
      }
}

static void
check_mnemonics (MwWindow *window,
                 MwPage   *page,
                 GString  *problems)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Mnemonic));

  collect (GTK_WIDGET (window), GTK_WIDGET (page), FALSE, found);
  report_duplicates (found, G_OBJECT_TYPE_NAME (page), problems);
}

/* A text to write is reached by Alt+letter too: a visible label with a mnemonic for it. */
static void
check_text_views (MwPage  *page,
                  GString *problems)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new ();

  mw_test_collect_widgets (GTK_WIDGET (page), GTK_TYPE_TEXT_VIEW, views);
  for (guint i = 0; i < views->len; i++)
    {
      GtkWidget *view = g_ptr_array_index (views, i);
      GList *labels = gtk_widget_list_mnemonic_labels (view);
      gboolean reached = FALSE;

      for (GList *l = labels; l; l = l->next)
        if (gtk_widget_get_visible (l->data) &&
            gtk_label_get_mnemonic_keyval (GTK_LABEL (l->data)) != GDK_KEY_VoidSymbol)
          reached = TRUE;
      g_list_free (labels);
      if (!reached)
        g_string_append_printf (problems, "\n  %s (%s): a text view has no visible mnemonic label",
                                G_OBJECT_TYPE_NAME (page), language);
      g_assert_false (gtk_text_view_get_accepts_tab (GTK_TEXT_VIEW (view)));
    }
}

static void
iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2 * G_TIME_SPAN_MILLISECOND);
}

/* Shown at 360 px, laid out, and the page's slide-in over. */
static void
show_narrow (MwWindow *window,
             MwPage   *page)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (page));

  while (g_get_monotonic_time () < end &&
         (!gtk_widget_get_mapped (GTK_WIDGET (page)) || gtk_widget_get_width (GTK_WIDGET (page)) == 0 ||
          (GTK_IS_STACK (stack) && gtk_stack_get_transition_running (GTK_STACK (stack)))))
    iterate (20);
  iterate (200);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (page)), >, 0);
  g_test_message ("window %d x %d, page %d x %d", gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)), gtk_widget_get_width (GTK_WIDGET (page)),
                  gtk_widget_get_height (GTK_WIDGET (page)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, NARROW_WIDTH);
}

/* Known and left as it is, in English at 360 px only:
 * - the placeholder of an empty time entry ("YYYY" is wider than four digits): a wider entry
 *   would break the row titles inside words, and the rows say the format in words too. */
static gboolean
known_cut (GtkLabel *label)
{
  const char *text = gtk_label_get_text (label);

  return g_str_equal (language, "en") &&
         g_str_equal (text, "YYYY-MM-DD HH:MM") && GTK_IS_TEXT (gtk_widget_get_parent (GTK_WIDGET (label)));
}

/* A label squeezed narrower than a word: its lines break inside words ("Ge-br-uik-ers"). */
static gboolean
breaks_inside_word (GtkLabel *label)
{
  PangoLayout *layout = gtk_label_get_layout (label);
  const char *text = pango_layout_get_text (layout);

  for (int i = 1; i < pango_layout_get_line_count (layout); i++)
    {
      const char *start = text + pango_layout_get_line_readonly (layout, i)->start_index;

      if (start > text && g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (start))) &&
          g_unichar_isalnum (g_utf8_get_char (start)))
        return TRUE;
    }
  return FALSE;
}

/* Every label on screen that was cut short with "…" or broken inside a word. */
static void
collect_cut_labels (GtkWidget  *widget,
                    GString    *problems,
                    guint      *n_checked,
                    const char *where)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_wrap (GTK_LABEL (widget)) && breaks_inside_word (GTK_LABEL (widget)))
    g_string_append_printf (problems, "\n  %s (%s, %d px): “%s” is broken inside a word (%s in %s)", where,
                            language, NARROW_WIDTH, gtk_label_get_text (GTK_LABEL (widget)),
                            G_OBJECT_TYPE_NAME (widget), G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
  if (GTK_IS_LABEL (widget) && gtk_label_get_ellipsize (GTK_LABEL (widget)) != PANGO_ELLIPSIZE_NONE)
    {
      (*n_checked)++;
      if (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))) &&
          !known_cut (GTK_LABEL (widget)))
        g_string_append_printf (problems, "\n  %s (%s, %d px): “%s” is cut short (%s in %s)", where,
                                language, NARROW_WIDTH, gtk_label_get_text (GTK_LABEL (widget)),
                                G_OBJECT_TYPE_NAME (widget),
                                G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_cut_labels (child, problems, n_checked, where);
}

static void
check_narrow (gpointer    window,
              const char *where,
              GString    *problems)
{
  guint n_checked = 0;

  collect_cut_labels (GTK_WIDGET (window), problems, &n_checked, where);
  g_test_message ("%s (%s): %u labels that could be cut short", where, language, n_checked);
  /* At least the page title and the step counter. */
  g_assert_cmpuint (n_checked, >=, 2);
}

/* Every combo row's list, opened, shows each choice whole: no "Cybersecurity Act (Cb…". */
static void
check_combo_lists (MwPage  *page,
                   GString *problems)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  mw_test_collect_widgets (GTK_WIDGET (page), ADW_TYPE_COMBO_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      g_autoptr(GPtrArray) popovers = g_ptr_array_new ();
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      g_autofree char *where = NULL;
      gint64 end = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
      GtkWidget *popover;
      guint n_checked = 0, n_shown = 0;

      if (!gtk_widget_get_mapped (row) || !gtk_widget_is_sensitive (row))
        continue;
      mw_test_collect_widgets (row, GTK_TYPE_POPOVER, popovers);
      g_assert_cmpuint (popovers->len, ==, 1);
      popover = g_ptr_array_index (popovers, 0);
      /* Other tests' windows on the same display take the focus, which would close it. */
      gtk_popover_set_autohide (GTK_POPOVER (popover), FALSE);
      gtk_widget_activate (row);
      while (!gtk_widget_get_mapped (popover) && g_get_monotonic_time () < end)
        iterate (20);
      iterate (200);
      g_assert_true (gtk_widget_get_mapped (popover));

      where = g_strdup_printf ("%s, the list of “%s”", G_OBJECT_TYPE_NAME (page),
                               adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
      collect_cut_labels (popover, problems, &n_checked, where);
      mw_test_collect_widgets (popover, GTK_TYPE_LABEL, labels);
      for (guint j = 0; j < labels->len; j++)
        n_shown += gtk_widget_get_mapped (g_ptr_array_index (labels, j)) ? 1 : 0;
      g_test_message ("%s (%s): %u choices shown", where, language, n_shown);
      g_assert_cmpuint (n_shown, >=, 2);

      gtk_popover_popdown (GTK_POPOVER (popover));
      gtk_popover_set_autohide (GTK_POPOVER (popover), TRUE);
      iterate (100);
    }
}

static MwWindow *
new_narrow_window (MwSession *session)
{
  MwWindow *window = mw_window_new (NULL, session);

  gtk_window_set_default_size (GTK_WINDOW (window), NARROW_WIDTH, NARROW_HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
destroy_window (MwWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_page (gconstpointer data)
{
  GType type = GPOINTER_TO_SIZE (data);
  g_autoptr(MwSession) session = new_session ();
  MwWindow *window = new_narrow_window (session);
  MwAssistant *assistant = mw_window_get_assistant (window);
  MwPage *page = mw_assistant_find_page (assistant, type);
  g_autoptr(GString) problems = g_string_new (NULL);

  g_assert_nonnull (page);
  /* The early warning's page and the full report's pages at once: asked for now. */
  mw_early_warning_page_set_full_details (MW_EARLY_WARNING_PAGE (mw_assistant_find_page (assistant, MW_TYPE_EARLY_WARNING_PAGE)),
                                          TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page)));
  fill_report (session);
  mw_assistant_set_current_page (assistant, page);
  g_assert_true (mw_assistant_get_current_page (assistant) == page);

  if (type == MW_TYPE_WHEN_PAGE)
    mw_when_page_set_resolved (MW_WHEN_PAGE (page), TRUE);
  if (type == MW_TYPE_DELIVERY_PAGE)
    {
      /* Sent, and both deliveries in trouble: a Retry and a Filed by Hand per recipient. */
      MwReport *report = mw_session_get_report (session);
      const char *report_id = mw_report_get_report_id (report);
      g_autoptr(GError) error = NULL;
      g_autoptr(MwStore) store = NULL;

      g_assert_true (mw_test_submit (session, &error));
      g_assert_no_error (error);
      store = mw_store_new (&error);
      g_assert_no_error (error);
      g_assert_true (mw_store_mark_failed (store, report_id, "rdi", "422 refused", &error));
      g_assert_true (mw_store_mark_attempt_failed (store, report_id, "ncsc", "connection refused",
                                                   g_get_real_time (), NULL, &error));
      g_assert_no_error (error);
      mw_delivery_page_refresh (MW_DELIVERY_PAGE (page));
      g_assert_cmpuint (mw_delivery_page_get_n_retry (MW_DELIVERY_PAGE (page)), ==, 2);
    }

  show_narrow (window, page);
  check_mnemonics (window, page, problems);
  check_text_views (page, problems);
  check_narrow (window, G_OBJECT_TYPE_NAME (page), problems);
  check_combo_lists (page, problems);
  if (problems->len > 0)
    g_test_fail_printf ("%s", problems->str);

  destroy_window (window);
}

/* The profile's preferences window at 360 px: its mnemonics and the form's all differ, and
 * nothing is cut short. */
static void
test_profile_window (void)
{
  g_autoptr(MwSession) session = new_session ();
  GtkWidget *window = mw_profile_window_new (NULL, session);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Mnemonic));
  g_autoptr(GString) problems = g_string_new (NULL);
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  gtk_window_set_default_size (GTK_WINDOW (window), NARROW_WIDTH, NARROW_HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  while (g_get_monotonic_time () < end && gtk_widget_get_width (window) == 0)
    iterate (20);
  iterate (200);
  g_assert_cmpint (gtk_widget_get_width (window), <=, NARROW_WIDTH);

  /* Everything in it, hidden or not (the save error shows in another state). */
  collect (window, NULL, TRUE, found);
  report_duplicates (found, "MwProfileWindow", problems);
  check_narrow (window, "MwProfileWindow", problems);
  if (problems->len > 0)
    g_test_fail_printf ("%s", problems->str);

  g_object_ref (window);
  mw_profile_window_cancel (MW_PROFILE_WINDOW (window));
  g_assert_finalize_object (window);
}

/* The toasts the wizard can show on its own at the start. */
static void
test_toasts (void)
{
  const char *messages[] = { N_("Your draft report was restored."),
                             N_("Resuming earlier deliveries.") };
  g_autoptr(GString) problems = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr(MwSession) session = new_session ();
      MwWindow *window = new_narrow_window (session);
      MwPage *page = mw_assistant_get_current_page (mw_window_get_assistant (window));
      g_autofree char *where = g_strdup_printf ("the toast “%s”", _(messages[i]));

      mw_window_add_toast (window, _(messages[i]));
      show_narrow (window, page);
      iterate (300);  /* (the toast fades in) */
      check_narrow (window, where, problems);
      destroy_window (window);
    }
  if (problems->len > 0)
    g_test_fail_printf ("%s", problems->str);
}

static gboolean
find_text (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (find_text (child, text))
      return TRUE;
  return FALSE;
}

/* Live filing without endpoints names the recipients as people know them, not by the
 * regime's identifiers. */
static void
test_mode_recipients (void)
{
  g_autoptr(MwSession) session = new_session ();
  GtkWidget *page = g_object_ref_sink (mw_mode_page_new (session));
  const MwEntityType *type = mw_session_get_entity_type (session);

  mw_page_shown (MW_PAGE (page));
  g_assert_cmpuint (type->recipients->len, ==, 2);
  for (guint i = 0; i < type->recipients->len; i++)
    {
      const MwRecipient *recipient = g_ptr_array_index (type->recipients, i);
      const char *name = mw_label_get (&recipient->name);

      g_test_message ("%s: %s", recipient->id, name);
      g_assert_true (g_str_equal (language, "nl") ? g_str_equal (name, recipient->name.nl)
                                                  : g_str_equal (name, recipient->name.en));
      g_assert_true (find_text (page, name));
    }
  g_assert_false (find_text (page, "ncsc, rdi"));
  g_assert_finalize_object (page);
}

static void
use_dutch (const char *mo)
{
  g_autofree char *dir = g_build_filename (tmpdir, "locale", "nl", "LC_MESSAGES", NULL);
  g_autofree char *target = g_build_filename (dir, GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *localedir = g_build_filename (tmpdir, "locale", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (mo, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (target, contents, length, &error));
  g_assert_no_error (error);

  g_setenv ("LANGUAGE", "nl", TRUE);
  if (setlocale (LC_ALL, "nl_NL.UTF-8") == NULL)
    g_error ("The locale nl_NL.UTF-8 is missing: generate it (locale-gen) to run the tests in Dutch.");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  mw_language_set ("nl");
  language = "nl";
}

int
main (int   argc,
      char *argv[])
{
  const char *mo = NULL;
  int result;

  /* --mo=FILE: run in Dutch with this compiled po/nl.po. */
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--mo="))
      {
        mo = argv[i] + strlen ("--mo=");
        for (int j = i; j < argc; j++)
          argv[j] = argv[j + 1];
        argc--;
        break;
      }

  tmpdir = g_dir_make_tmp ("mw-test-app-i18n-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* (gtk_test_init sets its own locale: choose the language after it.) */
  if (mo != NULL)
    use_dutch (mo);
  else
    mw_language_set ("en");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* Not vacuous: the Dutch run really shows Dutch. */
  if (mo != NULL)
    g_assert_cmpstr (_("_Next"), ==, "_Volgende");

  g_test_add_data_func ("/app/page/profile-page", GSIZE_TO_POINTER (MW_TYPE_PROFILE_PAGE), test_page);
  g_test_add_data_func ("/app/page/key-page", GSIZE_TO_POINTER (MW_TYPE_KEY_PAGE), test_page);
  g_test_add_data_func ("/app/page/mode-page", GSIZE_TO_POINTER (MW_TYPE_MODE_PAGE), test_page);
  g_test_add_data_func ("/app/page/early-warning-page", GSIZE_TO_POINTER (MW_TYPE_EARLY_WARNING_PAGE), test_page);
  g_test_add_data_func ("/app/page/when-page", GSIZE_TO_POINTER (MW_TYPE_WHEN_PAGE), test_page);
  g_test_add_data_func ("/app/page/nature-page", GSIZE_TO_POINTER (MW_TYPE_NATURE_PAGE), test_page);
  g_test_add_data_func ("/app/page/service-page", GSIZE_TO_POINTER (MW_TYPE_SERVICE_PAGE), test_page);
  g_test_add_data_func ("/app/page/recovery-page", GSIZE_TO_POINTER (MW_TYPE_RECOVERY_PAGE), test_page);
  g_test_add_data_func ("/app/page/assessment-page", GSIZE_TO_POINTER (MW_TYPE_ASSESSMENT_PAGE), test_page);
  g_test_add_data_func ("/app/page/review-page", GSIZE_TO_POINTER (MW_TYPE_REVIEW_PAGE), test_page);
  g_test_add_data_func ("/app/page/delivery-page", GSIZE_TO_POINTER (MW_TYPE_DELIVERY_PAGE), test_page);
  g_test_add_func ("/app/narrow/toasts", test_toasts);
  g_test_add_func ("/app/narrow/profile-window", test_profile_window);
  g_test_add_func ("/app/mode/recipient-names", test_mode_recipients);

  result = g_test_run ();

  mw_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return result;
}
