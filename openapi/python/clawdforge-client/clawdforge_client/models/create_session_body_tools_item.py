from enum import StrEnum


class CreateSessionBodyToolsItem(StrEnum):
    BASH = "Bash"
    EDIT = "Edit"
    GLOB = "Glob"
    GREP = "Grep"
    NOTEBOOKEDIT = "NotebookEdit"
    READ = "Read"
    WEBFETCH = "WebFetch"
    WEBSEARCH = "WebSearch"
    WRITE = "Write"

    def __str__(self) -> str:
        return str(self.value)
