import { deletedFileSchema, fileInfoSchema, fileRefSchema } from '@clawdforge/shared';
import { appProcedure, router } from '../trpc.js';

const FILES = { tags: ['files'], protect: true };

export const filesRouter = router({
  get: appProcedure
    .meta({ openapi: { ...FILES, method: 'GET', path: '/files/{file_token}', operationId: 'getFile', summary: "A file's metadata (own files only)" } })
    .input(fileRefSchema)
    .output(fileInfoSchema)
    .query(({ ctx, input }) => ctx.services.files.service.get(ctx.app.name, input.file_token)),

  delete: appProcedure
    .meta({ openapi: { ...FILES, method: 'DELETE', path: '/files/{file_token}', operationId: 'deleteFile', summary: 'Delete a file (own files only)' } })
    .input(fileRefSchema)
    .output(deletedFileSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.files.service.delete(ctx.app.name, input.file_token);
      return { ok: true as const, file_token: input.file_token };
    }),
});
