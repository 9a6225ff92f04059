import type { InboundContent } from './events.js';

/**
 * What a person reads in a message: the text typed, the title of the button or row tapped, a
 * Waviro keyword, a media caption, or an edit's new text. Undefined for content without text.
 */
export function contentText(content: InboundContent): string | undefined {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'button':
    case 'list':
      return content.title;
    case 'keyword':
      return content.keyword;
    case 'edit':
      return contentText(content.content);
    default:
      return 'caption' in content ? content.caption : undefined;
  }
}
