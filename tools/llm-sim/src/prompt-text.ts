import { OpenAiApiError } from './openai-api.error';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Text of a message's content: a string, or the text of its text parts (input_text, output_text, text). */
function contentText(content: unknown, param: string): string[] {
  if (typeof content === 'string') return [content];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw OpenAiApiError.invalidRequest(`Invalid type for '${param}'.`, param);
  return content.flatMap((part, i) => {
    if (typeof part === 'string') return [part];
    if (!isObject(part)) throw OpenAiApiError.invalidRequest(`Invalid content part at '${param}[${i}]'.`, `${param}[${i}]`);
    return typeof part.text === 'string' ? [part.text] : [];
  });
}

/** The texts of a Responses API `input`: a string, or message items and tool outputs. */
export function responsesInputTexts(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) {
    throw OpenAiApiError.invalidRequest("Invalid type for 'input': expected a string or an array of input items.", 'input');
  }
  return input.flatMap((item, i) => {
    if (typeof item === 'string') return [item];
    if (!isObject(item)) throw OpenAiApiError.invalidRequest(`Invalid input item at 'input[${i}]'.`, `input[${i}]`);
    if (typeof item.output === 'string') return [item.output];
    return contentText(item.content, `input[${i}].content`);
  });
}

/** The texts of Chat Completions `messages`, in order. */
export function chatMessageTexts(messages: unknown): string[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw OpenAiApiError.invalidRequest("'messages' must be a non-empty array.", 'messages');
  }
  return messages.flatMap((message, i) => {
    if (!isObject(message) || typeof message.role !== 'string') {
      throw OpenAiApiError.invalidRequest(`Invalid message at 'messages[${i}]': expected an object with a role.`, `messages[${i}]`);
    }
    return contentText(message.content, `messages[${i}].content`);
  });
}
