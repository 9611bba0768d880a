"""Models from any provider behind the one `Model` protocol (`reproducer.agent.model`).

The loop speaks one neutral vocabulary (`parts`): messages whose parts are text, tool calls, tool results
and images, a usage split by how tokens are billed, stop reasons and our own `ModelError`s. Each provider
module translates it to its wire format and back: `reproducer.agent.claude` for Claude (the Anthropic API,
Bedrock, Vertex: the same Messages API through the anthropic SDK's clients), `openai_chat` for OpenAI and
any server that speaks its chat-completions API. `registry.open_model` picks one from `provider/id`.
"""
