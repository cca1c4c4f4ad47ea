/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mw-expr"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "mw-error.h"
#include "mw-expr.h"

/*
 * The criteria language of regime files. Numbers are evaluated as closed intervals in
 * long double, so that an unknown fact (anything from 0 up) still lets a comparison be
 * decided when no possible value could change its outcome: "more than min(5 % of all
 * users, 1 000 000)" is met by 1 000 001 users whatever the total is. Boolean results are
 * three-valued (Kleene logic).
 */

#define MAX_NUMBER 1e15
#define MAX_OPERANDS 256

typedef enum {
  OP_NUMBER,
  OP_BOOLEAN,
  OP_FACT,
  OP_GT, OP_GE, OP_LT, OP_LE, OP_EQ,
  OP_IS,
  OP_ALL, OP_ANY, OP_NOT,
  OP_MUL, OP_DIV, OP_MIN, OP_MAX, OP_PCT,
} Op;

static const struct {
  const char *name;
  Op          op;
  int         min_args;
  int         max_args;
} operators[] = {
  { "gt", OP_GT, 2, 2 }, { "ge", OP_GE, 2, 2 }, { "lt", OP_LT, 2, 2 }, { "le", OP_LE, 2, 2 },
  { "eq", OP_EQ, 2, 2 }, { "is", OP_IS, 2, 2 },
  { "all", OP_ALL, 1, MAX_OPERANDS }, { "any", OP_ANY, 1, MAX_OPERANDS }, { "not", OP_NOT, 1, 1 },
  { "mul", OP_MUL, 2, MAX_OPERANDS }, { "div", OP_DIV, 2, 2 },
  { "min", OP_MIN, 2, MAX_OPERANDS }, { "max", OP_MAX, 2, MAX_OPERANDS }, { "pct", OP_PCT, 2, 2 },
  { "fact", OP_FACT, 1, 1 },
};

struct _MwExpr
{
  Op         op;
  gboolean   numeric;   /* the kind of value it yields */
  long double number;
  gboolean   boolean;
  char      *fact;
  GPtrArray *args;
};

typedef struct {
  long double lo;
  long double hi;
} Interval;

const char *
mw_status_to_string (MwStatus status)
{
  switch (status)
    {
    case MW_STATUS_MET: return "met";
    case MW_STATUS_NOT_MET: return "not-met";
    case MW_STATUS_EXCLUDED: return "excluded";
    case MW_STATUS_UNKNOWN:
    default: return "unknown";
    }
}

void
mw_expr_free (MwExpr *expr)
{
  if (expr == NULL)
    return;
  g_free (expr->fact);
  g_clear_pointer (&expr->args, g_ptr_array_unref);
  g_free (expr);
}

static gboolean
is_numeric_op (Op op)
{
  return op == OP_MUL || op == OP_DIV || op == OP_MIN || op == OP_MAX || op == OP_PCT;
}

static gboolean
is_comparison (Op op)
{
  return op == OP_GT || op == OP_GE || op == OP_LT || op == OP_LE || op == OP_EQ;
}

static MwExpr *
parse (JsonNode    *node,
       const char  *path,
       MwFactType   fact_type,
       gpointer     user_data,
       GError     **error);

static MwExpr *
parse_fact (const char  *name,
            const char  *path,
            MwFactType   fact_type,
            gpointer     user_data,
            GError     **error)
{
  const char *type = fact_type ? fact_type (name, user_data) : NULL;
  MwExpr *expr;

  if (type == NULL)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: “%s” is not a fact of this regime or of the fact vocabulary; declare it under “facts” or check the spelling"),
                   path, name);
      return NULL;
    }

  expr = g_new0 (MwExpr, 1);
  expr->op = OP_FACT;
  expr->fact = g_strdup (name);
  expr->numeric = !g_str_equal (type, "bool");
  return expr;
}

static MwExpr *
parse (JsonNode    *node,
       const char  *path,
       MwFactType   fact_type,
       gpointer     user_data,
       GError     **error)
{
  g_autoptr(MwExpr) expr = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  const char *name;
  JsonNode *operand;
  JsonArray *array = NULL;
  guint n_args;
  gsize i;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        return parse_fact (json_node_get_string (node), path, fact_type, user_data, error);

      expr = g_new0 (MwExpr, 1);
      if (type == G_TYPE_BOOLEAN)
        {
          expr->op = OP_BOOLEAN;
          expr->boolean = json_node_get_boolean (node);
          return g_steal_pointer (&expr);
        }

      expr->op = OP_NUMBER;
      expr->numeric = TRUE;
      expr->number = type == G_TYPE_INT64 ? (long double) json_node_get_int (node) : json_node_get_double (node);
      if (!isfinite ((double) expr->number) || fabsl (expr->number) > MAX_NUMBER)
        {
          g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                       _("%s: the number is out of range (at most %g)"), path, MAX_NUMBER);
          return NULL;
        }
      return g_steal_pointer (&expr);
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: an expression is a number, true/false, a fact name or an object like {\"gt\": [a, b]}"),
                   path);
      return NULL;
    }

  object = json_node_get_object (node);
  if (json_object_get_size (object) != 1)
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: an expression object has exactly one operator, like {\"gt\": [a, b]}"), path);
      return NULL;
    }

  members = json_object_get_members (object);
  name = members->data;
  operand = json_object_get_member (object, name);

  for (i = 0; i < G_N_ELEMENTS (operators); i++)
    if (g_str_equal (operators[i].name, name))
      break;

  if (i == G_N_ELEMENTS (operators))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s: unknown operator “%s”; use gt, ge, lt, le, eq, is, all, any, not, mul, div, min, max, pct or fact"),
                   path, name);
      return NULL;
    }

  if (operators[i].op == OP_FACT)
    {
      g_autofree char *fact_path = g_strconcat (path, ".fact", NULL);

      if (!JSON_NODE_HOLDS_VALUE (operand) || json_node_get_value_type (operand) != G_TYPE_STRING)
        {
          g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("%s: must be the name of a fact"), fact_path);
          return NULL;
        }
      return parse_fact (json_node_get_string (operand), fact_path, fact_type, user_data, error);
    }

  expr = g_new0 (MwExpr, 1);
  expr->op = operators[i].op;
  expr->args = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_expr_free);
  expr->numeric = is_numeric_op (expr->op);

  /* "not" also takes its operand bare. */
  if (expr->op == OP_NOT && !JSON_NODE_HOLDS_ARRAY (operand))
    n_args = 1;
  else if (!JSON_NODE_HOLDS_ARRAY (operand))
    {
      g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                   _("%s.%s: the operands must be a list, like [a, b]"), path, name);
      return NULL;
    }
  else
    {
      array = json_node_get_array (operand);
      n_args = json_array_get_length (array);
    }

  if ((int) n_args < operators[i].min_args || (int) n_args > operators[i].max_args)
    {
      if (operators[i].min_args == operators[i].max_args)
        g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                     ngettext ("%s.%s: takes exactly %d operand, not %u",
                               "%s.%s: takes exactly %d operands, not %u", operators[i].min_args),
                     path, name, operators[i].min_args, n_args);
      else
        g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                     _("%s.%s: takes from %d to %d operands, not %u"),
                     path, name, operators[i].min_args, operators[i].max_args, n_args);
      return NULL;
    }

  for (guint a = 0; a < n_args; a++)
    {
      g_autofree char *arg_path = g_strdup_printf ("%s.%s[%u]", path, name, a);
      JsonNode *arg_node = array ? json_array_get_element (array, a) : operand;
      MwExpr *arg = parse (arg_node, arg_path, fact_type, user_data, error);
      gboolean want_numeric;

      if (arg == NULL)
        return NULL;
      g_ptr_array_add (expr->args, arg);

      if (expr->op == OP_IS)
        want_numeric = FALSE;
      else
        want_numeric = is_numeric_op (expr->op) || is_comparison (expr->op);

      if (expr->op == OP_IS && a == 1 && arg->op != OP_BOOLEAN)
        {
          g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                       _("%s: the second operand of “is” must be true or false"), arg_path);
          return NULL;
        }

      if (arg->numeric != want_numeric)
        {
          g_set_error (error, MW_ERROR, MW_ERROR_INVALID,
                       want_numeric ?
                       _("%s: a number is needed here, but this is true/false") :
                       _("%s: true/false is needed here, but this is a number"),
                       arg_path);
          return NULL;
        }

      if (expr->op == OP_DIV && a == 1 && arg->op == OP_NUMBER && arg->number == 0)
        {
          g_set_error (error, MW_ERROR, MW_ERROR_INVALID, _("%s: division by zero"), arg_path);
          return NULL;
        }
    }

  return g_steal_pointer (&expr);
}

MwExpr *
mw_expr_parse (JsonNode    *node,
               const char  *path,
               MwFactType   fact_type,
               gpointer     user_data,
               GError     **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  return parse (node, path ? path : "expression", fact_type, user_data, error);
}

/* Evaluation ------------------------------------------------------------------------ */

typedef struct {
  MwFactLookup lookup;
  gpointer     user_data;
} Env;

static void
add_missing (GPtrArray  *missing,
             const char *name)
{
  if (missing == NULL)
    return;
  for (guint i = 0; i < missing->len; i++)
    if (g_str_equal (g_ptr_array_index (missing, i), name))
      return;
  g_ptr_array_add (missing, g_strdup (name));
}

static void
merge_missing (GPtrArray *into,
               GPtrArray *from)
{
  if (into == NULL || from == NULL)
    return;
  for (guint i = 0; i < from->len; i++)
    add_missing (into, g_ptr_array_index (from, i));
}

/* 0 × ∞ is 0 here: a fact that is 0 keeps a product at 0 whatever the other is. */
static long double
mul0 (long double a,
      long double b)
{
  if (a == 0 || b == 0)
    return 0;
  return a * b;
}

static Interval
interval_mul (Interval a,
              Interval b)
{
  long double p[4] = { mul0 (a.lo, b.lo), mul0 (a.lo, b.hi), mul0 (a.hi, b.lo), mul0 (a.hi, b.hi) };
  Interval r = { p[0], p[0] };

  for (int i = 1; i < 4; i++)
    {
      r.lo = MIN (r.lo, p[i]);
      r.hi = MAX (r.hi, p[i]);
    }
  return r;
}

static gboolean
interval_div (Interval  a,
              Interval  b,
              Interval *r)
{
  long double q[4];

  /* A divisor that can be zero leaves the quotient undecided. */
  if (b.lo <= 0 && b.hi >= 0)
    return FALSE;

  q[0] = a.lo / b.lo;
  q[1] = a.lo / b.hi;
  q[2] = a.hi / b.lo;
  q[3] = a.hi / b.hi;
  r->lo = r->hi = isnan ((double) q[0]) ? 0 : q[0];
  for (int i = 0; i < 4; i++)
    {
      long double v = isnan ((double) q[i]) ? 0 : q[i];  /* ∞/∞: only with unknowns on both sides */
      r->lo = MIN (r->lo, v);
      r->hi = MAX (r->hi, v);
    }
  if (isinf ((double) a.hi) || isinf ((double) b.hi))
    {
      /* ∞ in both is indeterminate: widen to everything the signs allow. */
      if (isinf ((double) a.hi) && isinf ((double) b.hi))
        {
          r->lo = MIN (r->lo, 0);
          r->hi = INFINITY;
        }
    }
  return TRUE;
}

/* Evaluates a numeric expression; FALSE when it cannot be bounded at all. Unknown facts
 * it reads go into missing. */
static gboolean
eval_number (MwExpr    *expr,
             Env       *env,
             GPtrArray *missing,
             Interval  *out)
{
  switch (expr->op)
    {
    case OP_NUMBER:
      out->lo = out->hi = expr->number;
      return TRUE;

    case OP_FACT:
      {
        MwValue value = { 0 };

        if (!env->lookup (expr->fact, &value, missing, env->user_data) || value.is_bool)
          {
            add_missing (missing, expr->fact);
            return FALSE;
          }
        if (!value.known)
          add_missing (missing, expr->fact);
        out->lo = value.lo;
        out->hi = value.hi;
        return TRUE;
      }

    case OP_MUL:
    case OP_MIN:
    case OP_MAX:
      {
        gboolean ok = TRUE;

        for (guint i = 0; i < expr->args->len; i++)
          {
            Interval v;

            if (!eval_number (g_ptr_array_index (expr->args, i), env, missing, &v))
              {
                ok = FALSE;
                continue;
              }
            if (i == 0)
              *out = v;
            else if (expr->op == OP_MUL)
              *out = interval_mul (*out, v);
            else if (expr->op == OP_MIN)
              {
                out->lo = MIN (out->lo, v.lo);
                out->hi = MIN (out->hi, v.hi);
              }
            else
              {
                out->lo = MAX (out->lo, v.lo);
                out->hi = MAX (out->hi, v.hi);
              }
          }
        return ok;
      }

    case OP_DIV:
      {
        Interval a, b;
        gboolean ok_a = eval_number (g_ptr_array_index (expr->args, 0), env, missing, &a);
        gboolean ok_b = eval_number (g_ptr_array_index (expr->args, 1), env, missing, &b);

        return ok_a && ok_b && interval_div (a, b, out);
      }

    case OP_PCT:
      {
        Interval p, a, scaled;

        if (!eval_number (g_ptr_array_index (expr->args, 0), env, missing, &p) |
            !eval_number (g_ptr_array_index (expr->args, 1), env, missing, &a))
          return FALSE;

        /* p per cent of a, computed as a × round(p × 10⁶) / 10⁸ so that 5 % of 20 000 000
         * is exactly 1 000 000 and boundaries stay strict. */
        p.lo = roundl (p.lo * 1e6L);
        p.hi = roundl (p.hi * 1e6L);
        scaled = interval_mul (a, p);
        out->lo = scaled.lo / 1e8L;
        out->hi = scaled.hi / 1e8L;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

static MwStatus
eval_status (MwExpr    *expr,
             Env       *env,
             GPtrArray *missing);

static MwStatus
compare (Op        op,
         Interval  a,
         Interval  b)
{
  switch (op)
    {
    case OP_GT:
      if (a.lo > b.hi) return MW_STATUS_MET;
      if (a.hi <= b.lo) return MW_STATUS_NOT_MET;
      return MW_STATUS_UNKNOWN;
    case OP_GE:
      if (a.lo >= b.hi) return MW_STATUS_MET;
      if (a.hi < b.lo) return MW_STATUS_NOT_MET;
      return MW_STATUS_UNKNOWN;
    case OP_LT:
      return compare (OP_GT, b, a);
    case OP_LE:
      return compare (OP_GE, b, a);
    case OP_EQ:
      if (a.lo == a.hi && b.lo == b.hi && a.lo == b.lo) return MW_STATUS_MET;
      if (a.hi < b.lo || b.hi < a.lo) return MW_STATUS_NOT_MET;
      return MW_STATUS_UNKNOWN;
    default:
      g_assert_not_reached ();
    }
}

static MwStatus
eval_status (MwExpr    *expr,
             Env       *env,
             GPtrArray *missing)
{
  switch (expr->op)
    {
    case OP_BOOLEAN:
      return expr->boolean ? MW_STATUS_MET : MW_STATUS_NOT_MET;

    case OP_FACT:
      {
        MwValue value = { 0 };

        if (!env->lookup (expr->fact, &value, missing, env->user_data) || !value.is_bool || !value.known)
          {
            add_missing (missing, expr->fact);
            return MW_STATUS_UNKNOWN;
          }
        return value.b ? MW_STATUS_MET : MW_STATUS_NOT_MET;
      }

    case OP_GT: case OP_GE: case OP_LT: case OP_LE: case OP_EQ:
      {
        g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func (g_free);
        Interval a, b;
        MwStatus status;

        if (!eval_number (g_ptr_array_index (expr->args, 0), env, unknown, &a) |
            !eval_number (g_ptr_array_index (expr->args, 1), env, unknown, &b))
          status = MW_STATUS_UNKNOWN;
        else
          status = compare (expr->op, a, b);

        if (status == MW_STATUS_UNKNOWN)
          merge_missing (missing, unknown);
        return status;
      }

    case OP_IS:
      {
        MwExpr *want = g_ptr_array_index (expr->args, 1);
        MwStatus status = eval_status (g_ptr_array_index (expr->args, 0), env, missing);

        if (status == MW_STATUS_UNKNOWN || want->boolean)
          return status;
        return status == MW_STATUS_MET ? MW_STATUS_NOT_MET : MW_STATUS_MET;
      }

    case OP_NOT:
      {
        MwStatus status = eval_status (g_ptr_array_index (expr->args, 0), env, missing);

        if (status == MW_STATUS_UNKNOWN)
          return status;
        return status == MW_STATUS_MET ? MW_STATUS_NOT_MET : MW_STATUS_MET;
      }

    case OP_ALL:
    case OP_ANY:
      {
        /* all: one not-met decides; any: one met decides. Only when undecided do the
         * unknown parts name their missing facts. */
        MwStatus decisive = expr->op == OP_ALL ? MW_STATUS_NOT_MET : MW_STATUS_MET;
        g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func (g_free);
        gboolean any_unknown = FALSE;

        for (guint i = 0; i < expr->args->len; i++)
          {
            MwStatus status = eval_status (g_ptr_array_index (expr->args, i), env, unknown);

            if (status == decisive)
              return decisive;
            if (status == MW_STATUS_UNKNOWN)
              any_unknown = TRUE;
          }

        if (any_unknown)
          {
            merge_missing (missing, unknown);
            return MW_STATUS_UNKNOWN;
          }
        return decisive == MW_STATUS_MET ? MW_STATUS_NOT_MET : MW_STATUS_MET;
      }

    default:
      g_assert_not_reached ();
    }
}

MwStatus
mw_expr_eval (MwExpr       *expr,
              MwFactLookup  lookup,
              gpointer      user_data,
              GPtrArray    *missing)
{
  Env env = { lookup, user_data };

  g_return_val_if_fail (expr != NULL, MW_STATUS_UNKNOWN);
  g_return_val_if_fail (!expr->numeric, MW_STATUS_UNKNOWN);

  return eval_status (expr, &env, missing);
}

gboolean
mw_expr_eval_value (MwExpr       *expr,
                    MwFactLookup  lookup,
                    gpointer      user_data,
                    GPtrArray    *missing,
                    MwValue      *value)
{
  Env env = { lookup, user_data };

  g_return_val_if_fail (expr != NULL, FALSE);
  memset (value, 0, sizeof *value);

  if (!expr->numeric)
    {
      MwStatus status = eval_status (expr, &env, missing);

      value->is_bool = TRUE;
      value->known = status != MW_STATUS_UNKNOWN;
      value->b = status == MW_STATUS_MET;
      return TRUE;
    }
  else
    {
      Interval interval;

      if (!eval_number (expr, &env, missing, &interval))
        {
          value->lo = 0;
          value->hi = INFINITY;
          return FALSE;
        }
      value->lo = (double) interval.lo;
      value->hi = (double) interval.hi;
      value->known = interval.lo == interval.hi;
      return TRUE;
    }
}

gboolean
mw_expr_is_numeric (MwExpr *expr)
{
  return expr->numeric;
}

static void
collect (MwExpr    *expr,
         GPtrArray *names)
{
  if (expr->op == OP_FACT)
    add_missing (names, expr->fact);
  if (expr->args != NULL)
    for (guint i = 0; i < expr->args->len; i++)
      collect (g_ptr_array_index (expr->args, i), names);
}

void
mw_expr_collect_facts (MwExpr    *expr,
                       GPtrArray *names)
{
  g_return_if_fail (expr != NULL);
  collect (expr, names);
}
