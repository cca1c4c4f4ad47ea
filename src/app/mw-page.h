/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mw-session.h"

G_BEGIN_DECLS

#define MW_TYPE_PAGE (mw_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (MwPage, mw_page, MW, PAGE, GtkWidget)

/* A page of the wizard. It knows its own validity and says so through "complete"; it never
 * touches the navigation. On Next the assistant calls apply_async; a page may refuse. */
struct _MwPageClass
{
  GtkWidgetClass parent_class;

  /* Called when the page becomes the current page, and when the session changes under it. */
  void     (*shown)        (MwPage              *self);
  void     (*apply_async)  (MwPage              *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
  gboolean (*apply_finish) (MwPage              *self,
                            GAsyncResult        *result,
                            GError             **error);

  gpointer padding[8];
};

MwSession  *mw_page_get_session    (MwPage              *self);
const char *mw_page_get_title      (MwPage              *self);
void        mw_page_set_title      (MwPage              *self,
                                    const char          *title);
gboolean    mw_page_get_complete   (MwPage              *self);
void        mw_page_set_complete   (MwPage              *self,
                                    gboolean             complete);
const char *mw_page_get_next_label (MwPage              *self);
void        mw_page_set_next_label (MwPage              *self,
                                    const char          *next_label);
gboolean    mw_page_get_final      (MwPage              *self);
void        mw_page_set_final      (MwPage              *self,
                                    gboolean             final);
void        mw_page_shown          (MwPage              *self);
/* The cursor in the page's first text field, else the focus on its first control. */
void        mw_page_focus_first_field (MwPage           *self);
void        mw_page_apply_async    (MwPage              *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean    mw_page_apply_finish   (MwPage              *self,
                                    GAsyncResult        *result,
                                    GError             **error);

/* An apply_async for pages whose Next saves the organisation profile. */
void        mw_page_apply_save_profile_async (MwPage              *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);

/* A report path ("timeline.started_at") in the words of the form: "When › Started at". */
char       *mw_describe_field      (MwRegime            *regime,
                                    const char          *path);

/* Whether a page asks the report field at path. */
typedef gboolean (*MwPageAsksFunc) (MwPage              *page,
                                    const char          *path);
/* The first problem the report's validation finds in a field the page asks (asks says which),
 * as "Page › Field: message", or NULL: what the stage needs there shows before Next. */
char       *mw_page_dup_report_problem (MwPage          *self,
                                        MwPageAsksFunc   asks);

/* Helpers for the pages: inline validation feedback. */
/* What a person typed in a text field, as it is stored: at most max_chars characters, white
 * space trimmed; NULL when nothing is left. */
char       *mw_dup_entered_text    (const char          *text,
                                    glong                max_chars);
/* Stores the entered text at path in the report, or marks it unknown when nothing is left. */
void        mw_report_set_entered_text (MwReport        *report,
                                    const char          *path,
                                    const char          *text,
                                    glong                max_chars);
void        mw_widget_set_invalid  (GtkWidget           *widget,
                                    gboolean             invalid);
/* Names the widget for assistive technologies with this label alone. */
void        mw_widget_set_accessible_label (GtkWidget   *widget,
                                            const char  *label);
/* Keys typed on @row itself go into its @field; a space never activates the row. */
void        mw_row_type_into_field         (GtkWidget   *row,
                                            GtkWidget   *field);
/* GTK 4.8 names a button with a mnemonic "_Next Next": let its label alone name it. */
void        mw_button_fix_accessible_name  (GtkWidget   *button);
/* The button's menu, built the first time it opens rather than with the window. */
void        mw_menu_button_set_menu_model_lazily (GtkMenuButton *button,
                                                  GMenuModel    *model);
/* A combo row (of a GtkStringList) that shows its value whole instead of cutting it short,
 * and lists every choice whole (long ones wrap). */
void        mw_combo_row_show_whole_value  (AdwComboRow *row);
/* A combo row over one of the report's vocabularies (mw-vocabulary.h), read and set by nick. */
void        mw_combo_row_set_vocabulary    (AdwComboRow *row,
                                            GType        vocabulary);
const char *mw_combo_row_get_nick          (AdwComboRow *row);
void        mw_combo_row_set_nick          (AdwComboRow *row,
                                            const char  *nick);
/* A new preferences group with @title and @description (either may be NULL); the second
 * adds it at the end of @page. */
GtkWidget  *mw_preferences_group_new       (const char         *title,
                                            const char         *description);
GtkWidget  *mw_preferences_page_add_group  (AdwPreferencesPage *page,
                                            const char         *title,
                                            const char         *description);

G_END_DECLS
