/* sm-markdown.h: Markdown to a safe render model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SM_MD_BLOCK_HEADING,
  SM_MD_BLOCK_PARAGRAPH,
  SM_MD_BLOCK_LIST_ITEM,
  SM_MD_BLOCK_CODE,
  SM_MD_BLOCK_QUOTE,
  SM_MD_BLOCK_RULE,
} SmMdBlockKind;

/**
 * SmMdBlock:
 * @kind: what the block is
 * @level: heading level (1–6); for list items and paragraphs inside them,
 *   the list nesting depth (1 = top level); 0 otherwise
 * @marker: (nullable): a list item's bullet ("•") or number ("3.")
 * @markup: Pango markup of the block's text: every character of the
 *   source is escaped; only <b>, <i>, <tt> and <a href> (http, https and
 *   mailto links) are ever produced. Raw HTML in the source is dropped.
 * @text: the same text without markup
 */
typedef struct
{
  SmMdBlockKind  kind;
  guint          level;
  char          *marker;
  char          *markup;
  char          *text;
} SmMdBlock;

void       sm_md_block_free            (SmMdBlock          *block);

GPtrArray *sm_markdown_render          (const char         *markdown);
char      *sm_markdown_to_plain_text   (const char         *markdown);
char      *sm_markdown_section_text    (const char         *markdown,
                                        const char * const *headings);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmMdBlock, sm_md_block_free)

G_END_DECLS
