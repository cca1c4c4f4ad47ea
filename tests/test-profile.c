/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-profile"

#include "mw-error.h"
#include "mw-json.h"
#include "mw-profile.h"

/* A profile as the wizard has stored it (canonical JSON, keys sorted). */
static const char stored_profile[] =
  "{\"contact\":{\"email\":\"soc@example.nl\",\"name\":\"A. de Vries\",\"phone\":\"+31 70 000 0000\","
  "\"role\":\"CISO\"},\"entity_type\":\"cloud\",\"name\":\"Wolkendienst B.V.\","
  "\"regime\":\"nl-wbni\",\"registration\":\"12345678\",\"sector\":\"digital-infrastructure\","
  "\"services\":[{\"id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"name\":\"Object storage\","
  "\"network\":\"EU-West\"},{\"id\":\"7c9e6679-7425-40de-944b-e07fc1f90ae7\",\"name\":\"Compute\"}],"
  "\"technical_contact\":{\"email\":\"noc@example.nl\",\"name\":\"B. Jansen\",\"phone\":\"+31 70 111 1111\"},"
  "\"training\":false}";

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = mw_json_parse (text, -1, "test", &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return node;
}

static MwProfile *
load (const char  *text,
      GError     **error)
{
  g_autoptr(JsonNode) node = parse (text);

  return mw_profile_new_from_json (json_node_get_object (node), error);
}

static char *
to_canonical (MwProfile *profile)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), mw_profile_to_json (profile));

  /* (init_object took its own reference; the node's one is dropped with the node.) */
  json_object_unref (json_node_get_object (node));
  return mw_json_to_canonical (node);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwProfile) profile = load (stored_profile, &error);
  g_autoptr(MwService) service = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (mw_profile_get_name (profile), ==, "Wolkendienst B.V.");
  g_assert_cmpstr (mw_profile_get_registration (profile), ==, "12345678");
  g_assert_cmpstr (mw_profile_get_sector (profile), ==, "digital-infrastructure");
  g_assert_cmpstr (mw_profile_get_entity_type (profile), ==, "cloud");
  g_assert_cmpstr (mw_profile_get_regime (profile), ==, "nl-wbni");
  g_assert_false (mw_profile_get_training (profile));
  g_assert_cmpstr (mw_profile_get_contact_name (profile), ==, "A. de Vries");
  g_assert_cmpstr (mw_profile_get_contact_role (profile), ==, "CISO");
  g_assert_cmpstr (mw_profile_get_contact_email (profile), ==, "soc@example.nl");
  g_assert_cmpstr (mw_profile_get_contact_phone (profile), ==, "+31 70 000 0000");
  g_assert_cmpstr (mw_profile_get_technical_contact_name (profile), ==, "B. Jansen");
  g_assert_cmpstr (mw_profile_get_technical_contact_email (profile), ==, "noc@example.nl");
  g_assert_cmpstr (mw_profile_get_technical_contact_phone (profile), ==, "+31 70 111 1111");
  g_assert_cmpuint (g_list_model_get_n_items (mw_profile_get_services (profile)), ==, 2);
  service = g_list_model_get_item (mw_profile_get_services (profile), 1);
  g_assert_cmpstr (mw_service_get_id (service), ==, "7c9e6679-7425-40de-944b-e07fc1f90ae7");
  g_assert_cmpstr (mw_service_get_name (service), ==, "Compute");
  g_assert_null (mw_service_get_network (service));

  /* Written back byte for byte in the shape it was read in. */
  text = to_canonical (profile);
  g_assert_cmpstr (text, ==, stored_profile);
}

static void
test_empty_profile (void)
{
  g_autoptr(MwProfile) profile = mw_profile_new ();
  g_autoptr(MwProfile) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = to_canonical (profile);

  /* What an unconfigured wizard has always stored. */
  g_assert_cmpstr (text, ==, "{\"regime\":\"nl-cbw\",\"services\":[],\"training\":true}");

  /* And older, smaller profiles: no services, no training, an empty contact object. */
  again = load ("{\"regime\":\"nl-cbw\",\"contact\":{},\"name\":\"X\",\"future\":[1,2]}", &error);
  g_assert_no_error (error);
  g_assert_true (mw_profile_get_training (again));
  g_assert_cmpstr (mw_profile_get_name (again), ==, "X");
  g_assert_null (mw_profile_get_contact_name (again));
  g_assert_cmpuint (g_list_model_get_n_items (mw_profile_get_services (again)), ==, 0);
  g_clear_object (&again);

  /* Empty texts are absent, and a missing regime is the default one. */
  again = load ("{\"name\":\"\",\"regime\":null}", &error);
  g_assert_no_error (error);
  g_assert_null (mw_profile_get_name (again));
  g_assert_cmpstr (mw_profile_get_regime (again), ==, MW_PROFILE_DEFAULT_REGIME);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GPtrArray  *seen)
{
  g_ptr_array_add (seen, (gpointer) g_param_spec_get_name (pspec));
}

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *count)
{
  (*count)++;
}

static void
test_notify_on_change (void)
{
  g_autoptr(MwProfile) profile = mw_profile_new ();
  g_autoptr(MwProfile) loaded = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  guint items_changed = 0;

  g_signal_connect (profile, "notify", G_CALLBACK (count_notify), seen);
  g_signal_connect (mw_profile_get_services (profile), "items-changed",
                    G_CALLBACK (count_items_changed), &items_changed);

  mw_profile_set_name (profile, "Wolkendienst B.V.");
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "name");
  mw_profile_set_name (profile, "Wolkendienst B.V.");
  g_assert_cmpuint (seen->len, ==, 1);

  /* Empty and NULL are the same absence. */
  mw_profile_set_contact_email (profile, "");
  g_assert_cmpuint (seen->len, ==, 1);
  mw_profile_set_contact_email (profile, "soc@example.nl");
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, "contact-email");

  mw_profile_set_training (profile, TRUE);
  g_assert_cmpuint (seen->len, ==, 2);
  mw_profile_set_training (profile, FALSE);
  g_assert_cmpuint (seen->len, ==, 3);

  mw_profile_set_regime (profile, MW_PROFILE_DEFAULT_REGIME);
  g_assert_cmpuint (seen->len, ==, 3);

  /* Through the property too (what g_object_bind_property uses). */
  g_object_set (profile, "technical-contact-phone", "+31 70 111 1111", NULL);
  g_object_set (profile, "technical-contact-phone", "+31 70 111 1111", NULL);
  g_assert_cmpuint (seen->len, ==, 4);

  mw_profile_add_service (profile, "Compute", NULL);
  g_assert_cmpuint (items_changed, ==, 1);
  mw_profile_remove_service (profile, 0);
  g_assert_cmpuint (items_changed, ==, 2);

  /* Assigning a loaded profile notifies only what differs. */
  loaded = load (stored_profile, NULL);
  g_ptr_array_set_size (seen, 0);
  mw_profile_assign (profile, loaded);
  g_assert_cmpuint (items_changed, ==, 3);
  g_assert_cmpstr (mw_profile_get_contact_role (profile), ==, "CISO");
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpstr (g_ptr_array_index (seen, i), !=, "training");  /* false in both */
  g_ptr_array_set_size (seen, 0);
  mw_profile_assign (profile, loaded);
  g_assert_cmpuint (seen->len, ==, 0);
  g_assert_cmpuint (items_changed, ==, 3);
}

static const char *
find_problem (GPtrArray  *problems,
              const char *path)
{
  for (guint i = 0; i < problems->len; i++)
    {
      MwProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->path, path))
        return problem->message;
    }
  return NULL;
}

static void
test_validate (void)
{
  g_autoptr(MwProfile) profile = mw_profile_new ();
  g_autoptr(MwProfile) complete = load (stored_profile, NULL);
  g_autoptr(MwRegime) regime = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  problems = mw_profile_validate (profile, NULL);
  g_assert_nonnull (find_problem (problems, "name"));
  g_assert_nonnull (find_problem (problems, "registration"));
  g_assert_nonnull (find_problem (problems, "entity_type"));
  g_assert_nonnull (find_problem (problems, "services"));
  g_assert_nonnull (find_problem (problems, "contact.name"));
  g_assert_nonnull (find_problem (problems, "contact"));
  g_assert_null (find_problem (problems, "contact.email"));
  g_assert_cmpuint (problems->len, ==, 6);
  g_clear_pointer (&problems, g_ptr_array_unref);

  problems = mw_profile_validate (complete, NULL);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Blank is missing; a malformed address is named at its field. */
  mw_profile_set_name (complete, "   ");
  mw_profile_set_contact_email (complete, "soc at example.nl");
  mw_profile_set_technical_contact_email (complete, "noc@localhost");
  problems = mw_profile_validate (complete, NULL);
  g_assert_nonnull (find_problem (problems, "name"));
  g_assert_nonnull (strstr (find_problem (problems, "contact.email"), "name@example.nl"));
  g_assert_nonnull (find_problem (problems, "technical_contact.email"));
  g_assert_cmpuint (problems->len, ==, 3);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* A phone number alone is enough to call back. */
  mw_profile_set_name (complete, "Wolkendienst B.V.");
  mw_profile_set_contact_email (complete, NULL);
  mw_profile_set_technical_contact_email (complete, NULL);
  problems = mw_profile_validate (complete, NULL);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Against a regime: its entity types only. */
  regime = mw_regime_load ("nl-cbw", &error);
  g_assert_no_error (error);
  problems = mw_profile_validate (complete, regime);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);
  mw_profile_set_entity_type (complete, "bakery");
  problems = mw_profile_validate (complete, regime);
  g_assert_nonnull (find_problem (problems, "entity_type"));
  g_assert_cmpuint (problems->len, ==, 1);
}

static void
test_hostile_json (void)
{
  static const struct {
    const char *json;
    const char *field;  /* named in the message */
  } cases[] = {
    { "{\"name\": 42}", "“name”" },
    { "{\"name\": [\"a\"]}", "“name”" },
    { "{\"registration\": {\"kvk\": \"1\"}}", "“registration”" },
    { "{\"entity_type\": true}", "“entity_type”" },
    { "{\"regime\": 1.5}", "“regime”" },
    { "{\"training\": \"yes\"}", "“training”" },
    { "{\"training\": 0}", "“training”" },
    { "{\"contact\": \"A. de Vries\"}", "“contact”" },
    { "{\"contact\": [1]}", "“contact”" },
    { "{\"contact\": {\"email\": false}}", "“contact.email”" },
    { "{\"technical_contact\": {\"phone\": 31700000000}}", "“technical_contact.phone”" },
    { "{\"services\": {\"id\": \"x\"}}", "“services”" },
    { "{\"services\": [\"Compute\"]}", "“services[0]”" },
    { "{\"services\": [{\"id\": \"a\", \"name\": \"A\"}, {\"name\": \"Compute\"}]}", "“services[1].id”" },
    { "{\"services\": [{\"id\": \"a\"}]}", "“services[0].name”" },
    { "{\"services\": [{\"id\": \"a\", \"name\": \"\"}]}", "“services[0].name”" },
    { "{\"services\": [{\"id\": \"a\", \"name\": null}]}", "“services[0].name”" },
    { "{\"services\": [{\"id\": 7, \"name\": \"A\"}]}", "“services[0].id”" },
    { "{\"services\": [{\"id\": \"a\", \"name\": \"A\", \"network\": [\"EU\"]}]}", "“services[0].network”" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwProfile) profile = NULL;

      g_test_message ("%s", cases[i].json);
      profile = load (cases[i].json, &error);
      g_assert_null (profile);
      g_assert_error (error, MW_ERROR, MW_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].field));
    }
}

static void
test_bounds (void)
{
  g_autoptr(GString) json = g_string_new ("{\"services\": [");
  g_autoptr(GError) error = NULL;
  g_autoptr(MwProfile) profile = NULL;
  g_autofree char *long_name = g_strnfill (MW_PROFILE_MAX_FIELD_CHARS + 1, 'x');
  g_autofree char *long_json = g_strdup_printf ("{\"contact\": {\"name\": \"%s\"}}", long_name);

  profile = load (long_json, &error);
  g_assert_null (profile);
  g_assert_error (error, MW_ERROR, MW_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "“contact.name”"));
  g_clear_error (&error);

  for (guint i = 0; i <= MW_PROFILE_MAX_SERVICES; i++)
    g_string_append_printf (json, "%s{\"id\": \"s%u\", \"name\": \"S\"}", i > 0 ? "," : "", i);
  g_string_append (json, "]}");
  profile = load (json->str, &error);
  g_assert_null (profile);
  g_assert_error (error, MW_ERROR, MW_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "services"));
}

static void
test_apply_to_report (void)
{
  g_autoptr(MwProfile) profile = load (stored_profile, NULL);
  g_autoptr(MwReport) report = mw_report_new ();

  mw_profile_apply_to_report (profile, report);
  g_assert_cmpstr (mw_report_get_string (report, "provider.name"), ==, "Wolkendienst B.V.");
  g_assert_cmpstr (mw_report_get_string (report, "provider.entity_type"), ==, "cloud");
  g_assert_cmpstr (mw_report_get_string (report, "provider.contact.role"), ==, "CISO");
  g_assert_cmpstr (mw_report_get_string (report, "provider.technical_contact.phone"), ==, "+31 70 111 1111");
  /* The regime is not the provider's: the report keeps its own. */
  g_assert_false (mw_report_is_known (report, "provider.regime"));

  /* What the profile no longer says becomes unknown. */
  mw_profile_set_contact_role (profile, NULL);
  mw_profile_apply_to_report (profile, report);
  g_assert_false (mw_report_is_known (report, "provider.contact.role"));
}

static void
test_new_destroy (void)
{
  MwProfile *profile = mw_profile_new ();
  MwService *service = mw_service_new (NULL, "Compute", "");

  /* A new service gets an id; empty is absent. */
  g_assert_true (g_uuid_string_is_valid (mw_service_get_id (service)));
  g_assert_null (mw_service_get_network (service));
  g_assert_finalize_object (service);
  mw_profile_add_service (profile, "Compute", NULL);
  g_assert_finalize_object (profile);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/profile/round-trip", test_round_trip);
  g_test_add_func ("/profile/empty", test_empty_profile);
  g_test_add_func ("/profile/notify-on-change", test_notify_on_change);
  g_test_add_func ("/profile/validate", test_validate);
  g_test_add_func ("/profile/hostile-json", test_hostile_json);
  g_test_add_func ("/profile/bounds", test_bounds);
  g_test_add_func ("/profile/apply-to-report", test_apply_to_report);
  g_test_add_func ("/profile/new-destroy", test_new_destroy);

  return g_test_run ();
}
