"""Learning one person's taste from their keeps and rejects (issue 18).

Role: the layer between the engine facade and the domains that turns a gallery's keep / reject
history into a taste score and an explanation for every work, and lets a meta-trained curator
choose which drafted candidates the next gallery shows. Domain-specific pieces are small:
each domain has a describer (interpretable features plus a raw descriptor of a work) and a set
of draft settings; the embedding, the taste model, the simulated people and the curator work
on descriptors alone.
"""
