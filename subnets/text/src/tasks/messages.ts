/** One chat message as an OpenAI-compatible backend takes it. */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}
