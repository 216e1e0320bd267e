"""The drop zone: the paths under ``seeds/`` (:mod:`.tree`), reading and decoding files
(:mod:`.files`), the article formats (:mod:`.formats`), batch manifests (:mod:`.manifest`) and
cleaning a text into title and body (:mod:`.clean`)."""
