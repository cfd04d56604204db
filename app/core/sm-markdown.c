/* sm-markdown.c: Markdown to a safe render model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Articles are parsed with cmark and flattened into a list of blocks whose
 * inline content is Pango markup built here, character by character, from
 * escaped text. Raw HTML (blocks and inline tags) is dropped, never passed
 * through, and links keep their target only for http, https and mailto.
 */

#define G_LOG_DOMAIN "sm-markdown"

#include "config.h"

#include <cmark.h>
#include <string.h>

#include "sm-markdown.h"

typedef struct
{
  GPtrArray *blocks;
  guint      list_depth;
  gboolean   in_quote;
} RenderState;

void
sm_md_block_free (SmMdBlock *block)
{
  if (block == NULL)
    return;

  g_free (block->marker);
  g_free (block->markup);
  g_free (block->text);
  g_free (block);
}

static void
append_escaped (GString    *markup,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_string_append (markup, escaped);
}

static gboolean
link_is_safe (const char *url)
{
  return url != NULL &&
         (g_ascii_strncasecmp (url, "https://", 8) == 0 ||
          g_ascii_strncasecmp (url, "http://", 7) == 0 ||
          g_ascii_strncasecmp (url, "mailto:", 7) == 0);
}

static void
render_inlines (cmark_node *parent,
                GString    *markup,
                GString    *text)
{
  for (cmark_node *node = cmark_node_first_child (parent);
       node != NULL;
       node = cmark_node_next (node))
    {
      const char *literal = cmark_node_get_literal (node);

      switch (cmark_node_get_type (node))
        {
        case CMARK_NODE_TEXT:
          append_escaped (markup, literal ? literal : "");
          g_string_append (text, literal ? literal : "");
          break;

        case CMARK_NODE_SOFTBREAK:
          g_string_append_c (markup, ' ');
          g_string_append_c (text, ' ');
          break;

        case CMARK_NODE_LINEBREAK:
          g_string_append_c (markup, '\n');
          g_string_append_c (text, '\n');
          break;

        case CMARK_NODE_CODE:
          g_string_append (markup, "<tt>");
          append_escaped (markup, literal ? literal : "");
          g_string_append (markup, "</tt>");
          g_string_append (text, literal ? literal : "");
          break;

        case CMARK_NODE_EMPH:
          g_string_append (markup, "<i>");
          render_inlines (node, markup, text);
          g_string_append (markup, "</i>");
          break;

        case CMARK_NODE_STRONG:
          g_string_append (markup, "<b>");
          render_inlines (node, markup, text);
          g_string_append (markup, "</b>");
          break;

        case CMARK_NODE_LINK:
          if (link_is_safe (cmark_node_get_url (node)))
            {
              g_string_append (markup, "<a href=\"");
              append_escaped (markup, cmark_node_get_url (node));
              g_string_append (markup, "\">");
              render_inlines (node, markup, text);
              g_string_append (markup, "</a>");
            }
          else
            render_inlines (node, markup, text);
          break;

        case CMARK_NODE_IMAGE:
          /* The alternative text only: articles never load images */
          render_inlines (node, markup, text);
          break;

        case CMARK_NODE_HTML_INLINE:
        case CMARK_NODE_CUSTOM_INLINE:
        default:
          /* Raw HTML is never rendered */
          break;
        }
    }
}

static SmMdBlock *
add_block (RenderState   *state,
           SmMdBlockKind  kind,
           guint          level,
           const char    *marker,
           cmark_node    *inlines)
{
  SmMdBlock *block = g_new0 (SmMdBlock, 1);
  GString *markup = g_string_new (NULL);
  GString *text = g_string_new (NULL);

  if (inlines != NULL)
    render_inlines (inlines, markup, text);

  block->kind = kind;
  block->level = level;
  block->marker = g_strdup (marker);
  block->markup = g_string_free (markup, FALSE);
  block->text = g_string_free (text, FALSE);
  g_ptr_array_add (state->blocks, block);

  return block;
}

static void render_node (cmark_node  *node,
                         RenderState *state);

static void
render_blocks (cmark_node  *parent,
               RenderState *state)
{
  for (cmark_node *node = cmark_node_first_child (parent);
       node != NULL;
       node = cmark_node_next (node))
    render_node (node, state);
}

static void
render_item (cmark_node  *item,
             const char  *marker,
             RenderState *state)
{
  cmark_node *child = cmark_node_first_child (item);

  /* The item's first paragraph carries the bullet; what follows is indented */
  if (child != NULL && cmark_node_get_type (child) == CMARK_NODE_PARAGRAPH)
    {
      add_block (state, SM_MD_BLOCK_LIST_ITEM, state->list_depth, marker, child);
      child = cmark_node_next (child);
    }
  else
    add_block (state, SM_MD_BLOCK_LIST_ITEM, state->list_depth, marker, NULL);

  for (; child != NULL; child = cmark_node_next (child))
    render_node (child, state);
}

static void
render_node (cmark_node  *node,
             RenderState *state)
{
  switch (cmark_node_get_type (node))
    {
    case CMARK_NODE_HEADING:
      add_block (state, SM_MD_BLOCK_HEADING, cmark_node_get_heading_level (node), NULL, node);
      break;

    case CMARK_NODE_PARAGRAPH:
      add_block (state, state->in_quote ? SM_MD_BLOCK_QUOTE : SM_MD_BLOCK_PARAGRAPH,
                 state->list_depth, NULL, node);
      break;

    case CMARK_NODE_LIST:
      {
        gboolean ordered = cmark_node_get_list_type (node) == CMARK_ORDERED_LIST;
        int number = cmark_node_get_list_start (node);

        state->list_depth++;
        for (cmark_node *item = cmark_node_first_child (node);
             item != NULL;
             item = cmark_node_next (item))
          {
            g_autofree char *marker = ordered ? g_strdup_printf ("%d.", number++)
                                              : g_strdup ("•");
            render_item (item, marker, state);
          }
        state->list_depth--;
      }
      break;

    case CMARK_NODE_BLOCK_QUOTE:
      {
        gboolean was = state->in_quote;
        state->in_quote = TRUE;
        render_blocks (node, state);
        state->in_quote = was;
      }
      break;

    case CMARK_NODE_CODE_BLOCK:
      {
        SmMdBlock *block = add_block (state, SM_MD_BLOCK_CODE, state->list_depth, NULL, NULL);
        const char *literal = cmark_node_get_literal (node);
        g_autofree char *trimmed = g_strdup (literal ? literal : "");

        g_strchomp (trimmed);
        g_free (block->text);
        g_free (block->markup);
        block->text = g_strdup (trimmed);
        block->markup = g_markup_escape_text (trimmed, -1);
      }
      break;

    case CMARK_NODE_THEMATIC_BREAK:
      add_block (state, SM_MD_BLOCK_RULE, 0, NULL, NULL);
      break;

    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_CUSTOM_BLOCK:
    default:
      /* Raw HTML is never rendered */
      break;
    }
}

/**
 * sm_markdown_render:
 * @markdown: CommonMark text
 *
 * Returns: (transfer full) (element-type SmMdBlock): the blocks in order
 */
GPtrArray *
sm_markdown_render (const char *markdown)
{
  RenderState state = { 0 };
  cmark_node *doc;

  state.blocks = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_md_block_free);
  if (markdown == NULL)
    return state.blocks;

  doc = cmark_parse_document (markdown, strlen (markdown), CMARK_OPT_VALIDATE_UTF8);
  if (doc == NULL)
    return state.blocks;

  render_blocks (doc, &state);
  cmark_node_free (doc);

  return state.blocks;
}

static void
append_block_text (GString         *out,
                   const SmMdBlock *block,
                   const SmMdBlock *previous)
{
  if (block->kind == SM_MD_BLOCK_RULE)
    return;

  if (out->len > 0)
    {
      /* Consecutive list items are one per line; other blocks are paragraphs */
      if (block->kind == SM_MD_BLOCK_LIST_ITEM && previous != NULL &&
          previous->kind == SM_MD_BLOCK_LIST_ITEM)
        g_string_append_c (out, '\n');
      else
        g_string_append (out, "\n\n");
    }

  if (block->marker != NULL)
    {
      for (guint i = 1; i < block->level; i++)
        g_string_append (out, "  ");
      g_string_append_printf (out, "%s ", block->marker);
    }
  g_string_append (out, block->text);
}

/**
 * sm_markdown_to_plain_text:
 *
 * Returns: (transfer full): the text of @markdown without markup or raw HTML
 */
char *
sm_markdown_to_plain_text (const char *markdown)
{
  g_autoptr(GPtrArray) blocks = sm_markdown_render (markdown);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < blocks->len; i++)
    append_block_text (out, g_ptr_array_index (blocks, i),
                       i > 0 ? g_ptr_array_index (blocks, i - 1) : NULL);

  return g_string_free (out, FALSE);
}

/**
 * sm_markdown_section_text:
 * @headings: accepted titles of a level-2 heading, such as "Say this"
 *
 * Returns: (transfer full) (nullable): the plain text of the first section
 *   under one of @headings, up to the next heading of level 1 or 2; %NULL
 *   if there is no such section
 */
char *
sm_markdown_section_text (const char         *markdown,
                          const char * const *headings)
{
  g_autoptr(GPtrArray) blocks = sm_markdown_render (markdown);
  GString *out = NULL;
  SmMdBlock *previous = NULL;

  for (guint i = 0; i < blocks->len; i++)
    {
      SmMdBlock *block = g_ptr_array_index (blocks, i);

      if (block->kind == SM_MD_BLOCK_HEADING && block->level <= 2)
        {
          g_autofree char *title = g_strstrip (g_strdup (block->text));

          if (out != NULL)
            break;
          if (block->level == 2 && g_strv_contains (headings, title))
            out = g_string_new (NULL);
          continue;
        }

      if (out != NULL)
        {
          append_block_text (out, block, previous);
          previous = block;
        }
    }

  return out != NULL ? g_string_free (out, FALSE) : NULL;
}
