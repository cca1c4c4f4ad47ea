/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-training"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "mw-error.h"
#include "mw-signer.h"
#include "mw-training.h"

#define MAX_LINE_BYTES 4096
#define MAX_PRE_LISTEN_LINES 64
#define MAX_KEY_FILE_BYTES (64 * 1024)

struct _MwTrainingIntake
{
  GObject           parent_instance;

  char             *db_path;
  GStrv             mailboxes;
  char             *program;
  char             *url;
  GSubprocess      *process;
  GDataInputStream *stdout_stream;
  GCancellable     *read_cancellable;
};

G_DEFINE_FINAL_TYPE (MwTrainingIntake, mw_training_intake, G_TYPE_OBJECT)

typedef struct {
  char  *jwk_path;
  guint  next_mailbox;
  guint  lines;
  guint  timeout_id;
} StartData;

static void
start_data_free (StartData *data)
{
  if (data->jwk_path != NULL)
    {
      g_unlink (data->jwk_path);
      g_free (data->jwk_path);
    }
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  g_free (data);
}

static void
mw_training_intake_dispose (GObject *object)
{
  MwTrainingIntake *self = MW_TRAINING_INTAKE (object);

  mw_training_intake_stop (self);
  G_OBJECT_CLASS (mw_training_intake_parent_class)->dispose (object);
}

static void
mw_training_intake_finalize (GObject *object)
{
  MwTrainingIntake *self = MW_TRAINING_INTAKE (object);

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->mailboxes, g_strfreev);
  g_clear_pointer (&self->program, g_free);
  g_clear_pointer (&self->url, g_free);
  G_OBJECT_CLASS (mw_training_intake_parent_class)->finalize (object);
}

static void
mw_training_intake_class_init (MwTrainingIntakeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_training_intake_dispose;
  object_class->finalize = mw_training_intake_finalize;
}

static void
mw_training_intake_init (MwTrainingIntake *self)
{
}

MwTrainingIntake *
mw_training_intake_new (const char         *db_path,
                        const char * const *mailboxes)
{
  MwTrainingIntake *self;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (mailboxes != NULL && mailboxes[0] != NULL, NULL);

  self = g_object_new (MW_TYPE_TRAINING_INTAKE, NULL);
  self->db_path = g_strdup (db_path);
  self->mailboxes = g_strdupv ((char **) mailboxes);
  return self;
}

char *
mw_training_intake_find_program (void)
{
  const char *env = g_getenv ("MELDWIJZER_INTAKE");
  g_autofree char *installed = NULL;
  char *found;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  found = g_find_program_in_path ("meldwijzer-intake");
  if (found != NULL)
    return found;
  installed = g_build_filename (BINDIR, "meldwijzer-intake", NULL);
  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&installed);
  return NULL;
}

void
mw_training_intake_set_program (MwTrainingIntake *self,
                                const char       *program)
{
  g_return_if_fail (MW_IS_TRAINING_INTAKE (self));
  g_free (self->program);
  self->program = g_strdup (program);
}

const char *
mw_training_intake_get_db_path (MwTrainingIntake *self)
{
  g_return_val_if_fail (MW_IS_TRAINING_INTAKE (self), NULL);
  return self->db_path;
}

const char * const *
mw_training_intake_get_mailboxes (MwTrainingIntake *self)
{
  g_return_val_if_fail (MW_IS_TRAINING_INTAKE (self), NULL);
  return (const char * const *) self->mailboxes;
}

static void
child_setup (gpointer user_data)
{
#ifdef __linux__
  /* The practice intake must not outlive the app, even when the app crashes. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  return launcher;
}

static void read_line_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
drain_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(MwTrainingIntake) self = user_data;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  if (line == NULL)
    return;  /* closed, cancelled or failed: nothing more to read */
  g_debug ("intake: %s", line);
  if (self->stdout_stream != NULL && self->read_cancellable != NULL)
    g_data_input_stream_read_line_async (self->stdout_stream, G_PRIORITY_DEFAULT, self->read_cancellable,
                                         drain_cb, g_object_ref (self));
}

static void
fail_start (GTask  *task,
            GError *error)
{
  MwTrainingIntake *self = g_task_get_source_object (task);

  if (g_task_get_completed (task) || g_task_had_error (task))
    {
      g_error_free (error);
      return;
    }
  mw_training_intake_stop (self);
  g_task_return_error (task, error);
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MwTrainingIntake *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autofree char *line = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, &length, &error);
  if (g_task_get_completed (task))
    return;
  if (line == NULL)
    {
      if (error == NULL)
        error = g_error_new (MW_ERROR, MW_ERROR_FAILED,
                             _("The practice intake (%s) stopped before it was listening. Run it by hand to see why."),
                             self->program);
      fail_start (task, g_steal_pointer (&error));
      return;
    }
  if (length > MAX_LINE_BYTES || ++data->lines > MAX_PRE_LISTEN_LINES)
    {
      fail_start (task, g_error_new (MW_ERROR, MW_ERROR_TOO_LARGE,
                                     _("The practice intake printed unexpected output instead of “listening on URL”.")));
      return;
    }
  if (g_str_has_prefix (line, "listening on "))
    {
      const char *url = line + strlen ("listening on ");
      g_autofree char *stripped = g_strstrip (g_strdup (url));

      if (!g_str_has_prefix (stripped, "http://127.") && !g_str_has_prefix (stripped, "http://[::1]") &&
          !g_str_has_prefix (stripped, "http://localhost"))
        {
          fail_start (task, g_error_new (MW_ERROR, MW_ERROR_INVALID,
                                         _("The practice intake listens on “%s”, which is not loopback."), stripped));
          return;
        }
      g_free (self->url);
      self->url = g_str_has_suffix (stripped, "/") ? g_steal_pointer (&stripped)
                                                    : g_strconcat (stripped, "/", NULL);
      g_clear_handle_id (&data->timeout_id, g_source_remove);
      /* Keep reading so that the child never blocks on a full pipe. */
      g_data_input_stream_read_line_async (self->stdout_stream, G_PRIORITY_DEFAULT, self->read_cancellable,
                                           drain_cb, g_object_ref (self));
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_debug ("intake: %s", line);
  g_data_input_stream_read_line_async (self->stdout_stream, G_PRIORITY_DEFAULT, self->read_cancellable,
                                       read_line_cb, g_steal_pointer (&task));
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  StartData *data = g_task_get_task_data (task);

  data->timeout_id = 0;
  fail_start (task, g_error_new (MW_ERROR, MW_ERROR_FAILED,
                                 _("The practice intake did not start within %d seconds."),
                                 MW_TRAINING_START_TIMEOUT_SECONDS));
  return G_SOURCE_REMOVE;
}

static void
start_server (GTask *task)
{
  MwTrainingIntake *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, self->program);
  g_ptr_array_add (argv, (char *) "--training");
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, self->db_path);
  for (guint i = 0; self->mailboxes[i]; i++)
    {
      g_ptr_array_add (argv, (char *) "--mailbox");
      g_ptr_array_add (argv, self->mailboxes[i]);
    }
  g_ptr_array_add (argv, NULL);

  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (self->process == NULL)
    {
      fail_start (task, g_steal_pointer (&error));
      return;
    }
  self->read_cancellable = g_cancellable_new ();
  self->stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_set_newline_type (self->stdout_stream, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  data->timeout_id = g_timeout_add_seconds (MW_TRAINING_START_TIMEOUT_SECONDS, start_timeout_cb, task);
  g_data_input_stream_read_line_async (self->stdout_stream, G_PRIORITY_DEFAULT, self->read_cancellable,
                                       read_line_cb, g_object_ref (task));
}

static void enrol_next (GTask *task);

static void
enrol_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MwTrainingIntake *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &out, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!g_subprocess_get_successful (G_SUBPROCESS (source)))
    {
      g_task_return_new_error (task, MW_ERROR, MW_ERROR_FAILED,
                               _("Could not enrol your key at the practice mailbox “%s” (%s enrol failed). Check that %s is writable."),
                               self->mailboxes[data->next_mailbox - 1], self->program, self->db_path);
      return;
    }
  enrol_next (g_steal_pointer (&task));
}

static void
enrol_next (GTask *task)
{
  MwTrainingIntake *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *mailbox;

  if (data->jwk_path == NULL || self->mailboxes[data->next_mailbox] == NULL)
    {
      start_server (task);
      g_object_unref (task);
      return;
    }
  mailbox = self->mailboxes[data->next_mailbox++];
  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  process = g_subprocess_launcher_spawn (launcher, &error, self->program, "enrol", "--training",
                                         "--db", self->db_path, "--mailbox", mailbox,
                                         data->jwk_path, NULL);
  if (process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  g_subprocess_communicate_utf8_async (process, NULL, g_task_get_cancellable (task), enrol_cb, task);
}

void
mw_training_intake_start_async (MwTrainingIntake    *self,
                                const char          *public_jwk,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  StartData *data;

  g_return_if_fail (MW_IS_TRAINING_INTAKE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_training_intake_start_async);
  data = g_new0 (StartData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);

  if (self->process != NULL)
    {
      g_task_return_new_error (task, MW_ERROR, MW_ERROR_EXISTS, _("The practice intake is already running."));
      return;
    }
  if (self->program == NULL)
    self->program = mw_training_intake_find_program ();
  if (self->program == NULL)
    {
      g_task_return_new_error (task, MW_ERROR, MW_ERROR_NOT_FOUND,
                               _("The practice intake program meldwijzer-intake was not found. Install it or set MELDWIJZER_INTAKE."));
      return;
    }
  dir = g_path_get_dirname (self->db_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, MW_ERROR, MW_ERROR_FAILED, _("Could not create the folder “%s”: %s"),
                               dir, g_strerror (saved_errno));
      return;
    }
  if (public_jwk != NULL)
    {
      int fd;

      data->jwk_path = g_build_filename (dir, "sender-XXXXXX.jwk", NULL);
      fd = g_mkstemp_full (data->jwk_path, O_WRONLY, 0600);
      if (fd < 0)
        {
          int saved_errno = errno;

          g_clear_pointer (&data->jwk_path, g_free);
          g_task_return_new_error (task, MW_ERROR, MW_ERROR_FAILED, _("Could not write a file in “%s”: %s"),
                                   dir, g_strerror (saved_errno));
          return;
        }
      close (fd);
      if (!g_file_set_contents (data->jwk_path, public_jwk, -1, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  enrol_next (g_steal_pointer (&task));
}

gboolean
mw_training_intake_start_finish (MwTrainingIntake  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
mw_training_intake_get_running (MwTrainingIntake *self)
{
  g_return_val_if_fail (MW_IS_TRAINING_INTAKE (self), FALSE);
  return self->process != NULL && self->url != NULL;
}

const char *
mw_training_intake_get_url (MwTrainingIntake *self)
{
  g_return_val_if_fail (MW_IS_TRAINING_INTAKE (self), NULL);
  return self->process != NULL ? self->url : NULL;
}

char *
mw_training_intake_dup_mailbox_url (MwTrainingIntake *self,
                                    const char       *mailbox)
{
  g_return_val_if_fail (MW_IS_TRAINING_INTAKE (self), NULL);
  g_return_val_if_fail (mailbox != NULL, NULL);

  if (mw_training_intake_get_url (self) == NULL)
    return NULL;
  return g_strconcat (self->url, mailbox, NULL);
}

char *
mw_training_intake_dup_receipt_jwk (MwTrainingIntake  *self,
                                    GError           **error)
{
  g_autofree char *key_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(MwSigner) signer = NULL;
  gsize length = 0;

  g_return_val_if_fail (MW_IS_TRAINING_INTAKE (self), NULL);

  key_path = g_strconcat (self->db_path, ".key", NULL);
  if (!g_file_get_contents (key_path, &contents, &length, error))
    return NULL;
  if (length > MAX_KEY_FILE_BYTES)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_TOO_LARGE, _("%s: the key file is larger than %d bytes."),
                   key_path, MAX_KEY_FILE_BYTES);
      return NULL;
    }
  signer = mw_signer_new_from_jwk (contents, error);
  if (signer == NULL)
    return NULL;
  return mw_signer_to_public_jwk (signer);
}

void
mw_training_intake_stop (MwTrainingIntake *self)
{
  g_return_if_fail (MW_IS_TRAINING_INTAKE (self));

  if (self->read_cancellable != NULL)
    g_cancellable_cancel (self->read_cancellable);
  g_clear_object (&self->read_cancellable);
  g_clear_object (&self->stdout_stream);
  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      /* The intake stores a report before it answers, so ending it is safe; wait so that
       * no zombie is left. */
      g_subprocess_wait (self->process, NULL, NULL);
      g_clear_object (&self->process);
    }
  g_clear_pointer (&self->url, g_free);
}
