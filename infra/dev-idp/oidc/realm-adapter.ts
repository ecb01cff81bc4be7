import type { Adapter, AdapterFactory, AdapterPayload } from "oidc-provider";
import { createMemoryAdapter } from "oidc-provider/lib/adapters/memory_adapter.js";
import { dynamicClientMetadata } from "./realm-clients.ts";
import type { UserDirectory } from "./user-directory.ts";

/**
 * oidc-provider's storage: its own in-memory adapter for sessions, grants and tokens, and, for
 * the `Client` model, the clients created through the Admin API (the realm data's clients are
 * static). The provider looks a client up at every token request and caches it by its metadata,
 * so a regenerated secret or a deleted client takes effect on the next request.
 */
export function realmAdapter(directory: UserDirectory): AdapterFactory {
  const memory = createMemoryAdapter();
  return (model: string): Adapter => {
    if (model !== "Client") return memory(model);
    const readOnly = async () => {
      throw new Error("clients are managed through the Admin REST API");
    };
    return {
      find: async (id: string) => {
        const client = directory.dynamicClientByClientId(id);
        return client ? (dynamicClientMetadata(client) as AdapterPayload) : undefined;
      },
      upsert: readOnly,
      destroy: readOnly,
      consume: readOnly,
      revokeByGrantId: readOnly,
      findByUid: async () => undefined,
      findByUserCode: async () => undefined,
    };
  };
}
