/**
 * A note's Markdown, rendered safely: markdown-it with `html: false` escapes every tag the text holds (a
 * note saying `<img src=x onerror=…>` shows those characters), its link check refuses `javascript:` and
 * `data:` URLs, and images are off: `![x](url)` shows as a link, never loads (a picture would be a network
 * request from an evidence viewer; the CSP refuses it anyway). Table alignment becomes a class, not a style attribute the CSP would block.
 */
import MarkdownIt from 'markdown-it';
import type { RendererRule } from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
md.disable('image');

const renderToken: RendererRule = (tokens, idx, options, _env, self) =>
  self.renderToken(tokens, idx, options);

md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  // Links open outside the app (the desktop shell hands them to the browser).
  tokens[idx]!.attrSet('target', '_blank');
  tokens[idx]!.attrSet('rel', 'noopener noreferrer');
  return renderToken(tokens, idx, options, env, self);
};
for (const rule of ['th_open', 'td_open'] as const) {
  md.renderer.rules[rule] = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const style = token.attrGet('style');
    if (style) {
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
      const align = /text-align:\s*(left|right|center)/.exec(String(style))?.[1];
      if (align) token.attrJoin('class', `md-align-${align}`);
    }
    return renderToken(tokens, idx, options, env, self);
  };
}

/** The HTML for a note (escaped text, no raw HTML). */
export function renderMarkdown(text: string): string {
  return md.render(text);
}

export function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div
      className={`markdown${className ? ` ${className}` : ''}`}
      // Safe: markdown-it with html: false escapes all markup in the text (see above).
      dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }}
    />
  );
}
